package nginxconf

import (
	"io/fs"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/nginx-keepalive/terraform-provider-nginxkeepalive/internal/nginxconf/nginxconftest"
)

// analyzeBothWays analyses a file with the statements the analysis never reads skipped (as in
// production) and with every statement handed to gonginx, and fails when the answers differ.
func analyzeBothWays(t *testing.T, analyze func() (*Analysis, error)) (*Analysis, error) {
	t.Helper()
	skipped, errSkipped := analyze()
	keepUnread = true
	whole, errWhole := analyze()
	keepUnread = false
	if (errSkipped == nil) != (errWhole == nil) || (errSkipped != nil && errSkipped.Error() != errWhole.Error()) {
		t.Fatalf("errors differ: skipping unread statements %v; handing gonginx everything %v", errSkipped, errWhole)
	}
	if !reflect.DeepEqual(skipped, whole) {
		t.Fatalf("analyses differ:\nskipping unread statements %+v\nhanding gonginx everything %+v", skipped, whole)
	}
	return skipped, errSkipped
}

// TestSkippingUnreadStatementsChangesNothing: every configuration the tests carry gives the
// same analysis, or the same error, whether or not gonginx sees the statements no walker reads.
func TestSkippingUnreadStatementsChangesNothing(t *testing.T) {
	var files []string
	for _, dir := range []string{filepath.Join("testdata", "corpus"), filepath.Join("testdata", "site")} {
		err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() && strings.HasSuffix(path, ".conf") {
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
	for _, path := range files {
		t.Run(path, func(t *testing.T) {
			// Broken corpus files fail to load: only agreement matters here.
			_, _ = analyzeBothWays(t, func() (*Analysis, error) {
				return AnalyzeFile(path, Options{NginxVersion: "1.22.1", IncludeRoot: filepath.Dir(path)})
			})
		})
	}
	t.Run("generated", func(t *testing.T) {
		a, err := analyzeBothWays(t, func() (*Analysis, error) {
			return AnalyzeContent(nginxconftest.IngressStyleConfig(50, true), Options{NginxVersion: "1.22.1"})
		})
		if err != nil || len(a.Upstreams) != 50 {
			t.Fatalf("generated configuration with 50 upstreams: %v", err)
		}
	})
}

// TestIncludedFileReadInItsBlock: an included file's top level is the body of the block that
// includes it, which the scan of that file cannot know, so nothing there is skipped.
func TestIncludedFileReadInItsBlock(t *testing.T) {
	root := writeTree(t, map[string]string{
		"nginx.conf": "http {\n" +
			" upstream app {\n  include app-servers.inc;\n }\n" +
			" map $http_upgrade $connection_upgrade {\n  include upgrade-map.inc;\n }\n" +
			" server {\n  location / {\n   proxy_set_header Host $host;\n   proxy_set_header X-Real-IP $remote_addr;\n" +
			"   include proxy.inc;\n   proxy_pass http://app;\n  }\n }\n}\n",
		"app-servers.inc": "server 10.0.0.1:8080 max_fails=3;\nserver 10.0.0.2:8080 backup;\nkeepalive 16;\nkeepalive_timeout 4s;\n",
		"upgrade-map.inc": "default upgrade;\n'' close;\n",
		"proxy.inc":       "proxy_http_version 1.1;\nproxy_set_header X-Forwarded-For $remote_addr;\nproxy_set_header Connection \"\";\n",
	})
	a, err := analyzeBothWays(t, func() (*Analysis, error) {
		return AnalyzeFile(filepath.Join(root, "nginx.conf"), Options{NginxVersion: "1.22.1", IncludeRoot: root})
	})
	if err != nil {
		t.Fatal(err)
	}
	u, ok := a.Upstreams["app"]
	if !ok || strings.Join(u.Servers, ",") != "10.0.0.1:8080,10.0.0.2:8080" || u.Keepalive == nil || *u.Keepalive != 16 || u.KeepaliveTimeout.Seconds() != 4 {
		t.Fatalf("upstream app from its included body: %+v", a.Upstreams)
	}
	for _, f := range a.Findings {
		if f.Severity == SeverityError || f.Severity == SeverityWarning {
			t.Errorf("HTTP/1.1 and Connection \"\" come from proxy.inc, so nothing is wrong; got %+v", f)
		}
	}
}
