package nginxconf

import (
	"io/fs"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/nginx-keepalive/terraform-provider-nginxkeepalive/internal/nginxconf/nginxconftest"
)

// gonginxRejection tells a guard error for text nginx accepts but gonginx would misread:
// the old pipeline read such text through placeholders, the new one refuses it.
func gonginxRejection(err error) bool {
	return err != nil && strings.Contains(err.Error(), "gonginx, the parser")
}

// analyzeOldAndNew analyses with the old pipeline (pre-scan into canonical chunks) and the
// new one (guard, then gonginx on the text as given), and fails when they disagree: the
// same analysis, or the same error, unless the new guard refuses what gonginx would misread.
func analyzeOldAndNew(t *testing.T, analyze func(simple bool) (*Analysis, error)) (*Analysis, error) {
	t.Helper()
	old, errOld := analyzeBothWays(t, func() (*Analysis, error) { return analyze(false) })
	simple, errSimple := analyze(true)
	if gonginxRejection(errSimple) {
		return simple, errSimple
	}
	if (errOld == nil) != (errSimple == nil) || (errOld != nil && errOld.Error() != errSimple.Error()) {
		t.Fatalf("errors differ:\nold %v\nnew %v", errOld, errSimple)
	}
	if !reflect.DeepEqual(old, simple) {
		t.Fatalf("analyses differ:\nold %+v\nnew %+v", old, simple)
	}
	return simple, errSimple
}

// testdataConfigs lists every configuration file the tests carry.
func testdataConfigs(t *testing.T) []string {
	t.Helper()
	var files []string
	for _, dir := range []string{filepath.Join("testdata", "corpus"), filepath.Join("testdata", "site")} {
		err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() && (strings.HasSuffix(path, ".conf") || filepath.Base(filepath.Dir(path)) == "sites-enabled" || filepath.Base(filepath.Dir(path)) == "snippets") {
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

// TestPipelinesAgree: every configuration the tests carry gives the same analysis or the
// same error through both pipelines.
func TestPipelinesAgree(t *testing.T) {
	for _, path := range testdataConfigs(t) {
		t.Run(path, func(t *testing.T) {
			_, err := analyzeOldAndNew(t, func(simple bool) (*Analysis, error) {
				return analyzeFile(path, Options{NginxVersion: "1.22.1", IncludeRoot: filepath.Dir(path)}, simple)
			})
			if gonginxRejection(err) {
				t.Logf("new guard refuses: %v", err)
			}
		})
	}
	for _, lua := range []bool{false, true} {
		a, err := analyzeOldAndNew(t, func(simple bool) (*Analysis, error) {
			return analyzeContent(nginxconftest.IngressStyleConfig(300, lua), Options{NginxVersion: "1.22.1"}, simple)
		})
		if err != nil || len(a.Upstreams) != 300 {
			t.Fatalf("generated configuration with 300 upstreams (lua %v): %v", lua, err)
		}
	}
}
