package render

import (
	"strings"
	"testing"
)

// TestStatementWrite pins the writer's layout on shapes the renderers do not all produce today:
// nested blocks, comments at depth, an empty block.
func TestStatementWrite(t *testing.T) {
	tree := &statement{name: "http", block: []*statement{
		{name: "upstream", params: []string{"api"}, comment: []string{"# one", "# two"}, block: []*statement{
			{name: "server", params: []string{"10.0.0.1:8080", "weight=2"}},
			{name: "keepalive", params: []string{"16"}},
		}},
		{name: "empty", block: []*statement{}},
	}}
	var b strings.Builder
	tree.write(&b, 0)
	want := "http {\n" +
		"    # one\n" +
		"    # two\n" +
		"    upstream api {\n" +
		"        server 10.0.0.1:8080 weight=2;\n" +
		"        keepalive 16;\n" +
		"    }\n" +
		"    empty {\n" +
		"\n" +
		"    }\n" +
		"}"
	if got := b.String(); got != want {
		t.Errorf("write =\n%s\nwant\n%s", got, want)
	}
}
