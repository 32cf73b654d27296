package nginxconf

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nginx-keepalive/terraform-provider-nginxkeepalive/internal/nginxconf/nginxconftest"
)

// FuzzAnalyzeContent: arbitrary bytes never panic or hang, every rejection is an *Error that
// names a line. Seeds: testdata/fuzz/FuzzAnalyzeContent plus the corpus.
func FuzzAnalyzeContent(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "corpus", "*", "*.conf"))
	site, _ := filepath.Glob(filepath.Join("testdata", "site", "*", "*"))
	for _, p := range append(files, site...) {
		if data, err := os.ReadFile(p); err == nil && len(data) < 64<<10 {
			f.Add(string(data))
		}
	}
	f.Add(nginxconftest.IngressStyleConfig(3, true))
	f.Fuzz(func(t *testing.T, content string) {
		a, err := AnalyzeContent(content, Options{NginxVersion: "1.22.1"})
		if err == nil {
			if a == nil || a.Upstreams == nil {
				t.Fatal("nil analysis without an error")
			}
			for _, fd := range a.Findings {
				if fd.Line < 1 {
					t.Fatalf("finding without a line: %+v", fd)
				}
			}
			return
		}
		var e *Error
		if !errors.As(err, &e) {
			t.Fatalf("error is %T, want *Error: %v", err, err)
		}
		if strings.Contains(e.Msg, "internal error") {
			t.Fatalf("%v", err)
		}
		if e.Line < 1 {
			t.Fatalf("error without a line: %v", err)
		}
	})
}
