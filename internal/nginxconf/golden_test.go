package nginxconf

import (
	"encoding/json"
	"flag"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/nginx-keepalive/terraform-provider-nginxkeepalive/internal/nginxconf/nginxconftest"
)

var update = flag.Bool("update", false, "rewrite testdata/golden from the current analysis")

// golden is the recorded result of analysing one configuration.
type golden struct {
	Analysis *Analysis `json:",omitempty"`
	Error    string    `json:",omitempty"`
}

// refusedByGuard are the testdata configurations nginx accepts that the guard refuses because
// gonginx would misread them, with the start of the refusal; their golden files keep the
// analysis the former pipeline (which rewrote such text for gonginx) gave, and -update
// leaves them.
var refusedByGuard = map[string]string{
	"testdata/corpus/comments-between-args/nginx.conf": `testdata/corpus/comments-between-args/nginx.conf:3: a word of the "log_format" directive is one word to nginx but not to gonginx`,
	"testdata/corpus/lua-block-simple/nginx.conf":      "testdata/corpus/lua-block-simple/nginx.conf:2: the Lua block opened at line 2 has braces in Lua strings or comments",
	"testdata/corpus/lua-block-simple/simple.conf":     "testdata/corpus/lua-block-simple/simple.conf:34: the Lua block opened at line 34 has braces in Lua strings or comments",
	"testdata/corpus/lua-block-tricky/nginx.conf":      `testdata/corpus/lua-block-tricky/nginx.conf:5: gonginx, the parser, would read the body of this "set_by_lua_block" block differently`,
	"testdata/corpus/messy/nginx.conf":                 `testdata/corpus/messy/nginx.conf:16: a word of the "location" directive is one word to nginx but not to gonginx`,
}

// goldenCases are the testdata configurations and generated ones, by golden file name.
func goldenCases(t *testing.T) map[string]func() (*Analysis, error) {
	cases := map[string]func() (*Analysis, error){}
	for _, path := range testdataConfigs(t) {
		cases[path] = func() (*Analysis, error) {
			return AnalyzeFile(path, Options{NginxVersion: "1.22.1", IncludeRoot: filepath.Dir(path)})
		}
	}
	for _, lua := range []bool{false, true} {
		name := "generated/ingress-50"
		if lua {
			name += "-lua"
		}
		cases[name] = func() (*Analysis, error) {
			return AnalyzeContent(nginxconftest.IngressStyleConfig(50, lua), Options{NginxVersion: "1.22.1"})
		}
	}
	return cases
}

// testdataConfigs lists every configuration file the tests carry.
func testdataConfigs(t *testing.T) []string {
	t.Helper()
	var files []string
	for _, dir := range []string{filepath.Join("testdata", "corpus"), filepath.Join("testdata", "site")} {
		err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
			parent := filepath.Base(filepath.Dir(path))
			if err == nil && !d.IsDir() && (strings.HasSuffix(path, ".conf") || parent == "sites-enabled" || parent == "snippets") {
				files = append(files, path)
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if len(files) < 30 {
		t.Fatalf("found %d configuration files in testdata; the corpus is missing", len(files))
	}
	return files
}

func goldenPath(name string) string {
	return filepath.Join("testdata", "golden", strings.ReplaceAll(strings.TrimPrefix(filepath.ToSlash(name), "testdata/"), "/", "__")+".json")
}

// TestGolden: every testdata configuration gives the analysis, or the error, recorded in
// testdata/golden, except the refusals listed in refusedByGuard. The files were recorded from
// the former pipeline (a pre-scan that rewrote the text for gonginx) before it was deleted;
// go test -run TestGolden -update rewrites them from the current one.
func TestGolden(t *testing.T) {
	for name, analyze := range goldenCases(t) {
		t.Run(name, func(t *testing.T) {
			path := goldenPath(name)
			_, refused := refusedByGuard[name]
			if *update && !refused {
				a, err := analyze()
				g := golden{Analysis: a}
				if err != nil {
					g = golden{Error: portableError(t, err)}
				}
				data, jerr := json.MarshalIndent(g, "", "  ")
				if jerr != nil {
					t.Fatal(jerr)
				}
				if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, append(data, '\n'), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test -run TestGolden -update to record it)", err)
			}
			var want golden
			if err := json.Unmarshal(data, &want); err != nil {
				t.Fatal(err)
			}
			a, err := analyze()
			if refusal, ok := refusedByGuard[name]; ok {
				if err == nil || !strings.HasPrefix(err.Error(), refusal) {
					t.Fatalf("want the guard's refusal %q, got %v", refusal, err)
				}
				return
			}
			got := golden{Analysis: a}
			if err != nil {
				got = golden{Error: portableError(t, err)}
			}
			// Compare through JSON, as recorded: durations and pointers survive, nil and empty slices merge.
			gotData, _ := json.Marshal(got)
			var gotBack golden
			if err := json.Unmarshal(gotData, &gotBack); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(gotBack, want) {
				t.Errorf("analysis differs from %s:\ngot  %s\nwant %s", path, gotData, data)
			}
		})
	}
}

// portableError is err's text with the working directory written as $PWD: the loader names the
// include root as an absolute path, which differs between clones.
func portableError(t *testing.T, err error) string {
	t.Helper()
	wd, werr := os.Getwd()
	if werr != nil {
		t.Fatal(werr)
	}
	return strings.ReplaceAll(err.Error(), wd, "$PWD")
}
