package nginxconf

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeTree creates files (path -> content) under a new temporary directory.
func writeTree(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// wantError checks for an *Error at file:line whose message contains every fragment.
func wantError(t *testing.T, err error, file string, line int, fragments ...string) {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("want *Error, got %T %v", err, err)
	}
	if e.File != file || e.Line != line {
		t.Errorf("error at %q:%d, want %q:%d (%v)", e.File, e.Line, file, line, err)
	}
	for _, f := range fragments {
		if !strings.Contains(e.Msg, f) {
			t.Errorf("error %q does not mention %q", e.Msg, f)
		}
	}
}

// Every structural problem, and every word gonginx would read differently from nginx, is
// rejected before gonginx sees the text, at the line nginx names.
func TestMalformedContent(t *testing.T) {
	deep := strings.Repeat("location / {\n", DefaultMaxNesting+1) + strings.Repeat("}\n", DefaultMaxNesting+1)
	cases := []struct {
		name, content string
		line          int
		fragment      string
	}{
		{"NUL byte", "http {\n server {\x00}\n}", 2, "NUL"},
		{"stray closing brace", "http { }\n}\nhttp { }", 2, "no block is open"},
		{"unclosed block", "http {\n server {\n }\n", 4, "opened at line 1"},
		{"missing semicolon before brace", "http {\n upstream u {\n  keepalive 8\n }\n}", 4, "\"keepalive\" before it is missing its \";\""},
		{"missing semicolon at end of file", "worker_processes 2", 1, "unexpected end of file"},
		{"merged statements (missing semicolon mid-block)", "http {\n upstream u {\n  keepalive 8\n  keepalive_timeout 5s;\n }\n}", 3, "invalid number of arguments in \"keepalive\""},
		{"unterminated double quote", "http {\n add_header X \"abc;\n}\n", 2, "unterminated quoted string"},
		{"unterminated single quote", "events { }\nhttp { add_header X 'a; }", 2, "unterminated quoted string"},
		{"text right after a quote", "http { add_header \"X\"Y 1; }", 1, "after a quoted string"},
		{"semicolon without directive", "http {\n ;\n}", 2, "no directive name"},
		{"block without directive", "{ }", 1, "no directive name"},
		{"unterminated Lua block", "http {\n init_by_lua_block {\n  local t = {\n}\n", 2, "Lua block"},
		{"unterminated Lua string", "http {\n init_by_lua_block {\n  print(\"}\n }\n}", 3, "Lua string"},
		{"nesting too deep", deep, DefaultMaxNesting + 1, "nested deeper"},
		{"token longer than nginx's buffer", "http { add_header X " + strings.Repeat("a", 5000) + "; }", 1, "too long parameter"},
		{"include with a block", "http { include x {} }", 1, "cannot open a block"},
		{"include without file", "http {\n include;\n}", 2, "\"include\" directive"},
		{"include with two files", "http {\n include a b;\n}", 2, "\"include\" directive"},
		{"location with three arguments", "http { server {\n location = / x { } } }", 2, "\"location\" directive"},
		{"upstream without name", "http {\n upstream { }\n}", 2, "\"upstream\" directive"},
		{"keepalive without count", "http { upstream u {\n keepalive;\n} }", 2, "\"keepalive\""},
		{"keepalive with three arguments", "http { upstream u {\n keepalive 1 local x;\n} }", 2, "\"keepalive\""},
		{"keepalive not a number", "http { upstream u {\n keepalive many;\n} }", 2, "invalid value \"many\""},
		{"keepalive negative", "http { upstream u {\n keepalive -1;\n} }", 2, "invalid value \"-1\""},
		{"keepalive overflowing", "http { upstream u {\n keepalive 99999999999999999999;\n} }", 2, "invalid value"},
		{"keepalive bad flag", "http { upstream u {\n keepalive 4 remote;\n} }", 2, "only \"local\""},
		{"keepalive duplicate", "http { upstream u {\n keepalive 4;\n keepalive 5;\n} }", 3, "duplicate"},
		{"keepalive_timeout bad unit", "http { upstream u {\n keepalive_timeout 5x;\n} }", 2, "invalid nginx time \"5x\""},
		{"keepalive_timeout fractional", "http { upstream u {\n keepalive_timeout 1.5s;\n} }", 2, "invalid nginx time"},
		{"keepalive_timeout two values in upstream", "http { upstream u {\n keepalive_timeout 5s 6s;\n} }", 2, "inside upstream"},
		{"keepalive_requests not a number", "http { upstream u {\n keepalive_requests 1e3;\n} }", 2, "keepalive_requests"},
		{"keepalive_time duplicate", "http { upstream u {\n keepalive_time 1h;\n keepalive_time 2h;\n} }", 3, "duplicate"},
		{"duplicate upstream", "http {\n upstream u { server a; }\n upstream U { server b; }\n}", 3, "duplicate upstream"},
		{"duplicate http", "http { }\nhttp { }", 2, "duplicate"},
		{"upstream server without address", "http { upstream u {\n server;\n} }", 2, "address"},
		{"client keepalive_timeout bad", "http {\n keepalive_timeout soon;\n}", 2, "keepalive_timeout"},
		{"client keepalive_timeout three args", "http {\n keepalive_timeout 1 2 3;\n}", 2, "keepalive_timeout"},
		{"proxy_http_version bad", "http {\n proxy_http_version 3;\n}", 2, "proxy_http_version"},
		{"proxy_http_version duplicate", "http {\n proxy_http_version 1.1;\n proxy_http_version 1.0;\n}", 3, "duplicate"},
		{"proxy_set_header one argument", "http {\n proxy_set_header Connection;\n}", 2, "proxy_set_header"},
		{"proxy_pass two arguments", "http { server { location / {\n proxy_pass http://a http://b;\n} } }", 2, "proxy_pass"},
		{"include in inline content without a root (strict)", "http {\n include x.conf;\n}", 2, "include root"},
		// nginx reads these; gonginx, the parser, would not read them the same way.
		{"backslash-escaped semicolon", "http {\n location /a\\;b { }\n}", 2, "not to gonginx"},
		{"backslash-escaped space", "http {\n server_name a\\ b;\n}", 2, "not to gonginx"},
		{"closing brace inside a word", "http {\n return 200 a}b;\n}", 2, "not to gonginx"},
		{"escaped backslash before a closing quote", "http {\n add_header X \"a\\\\\";\n}", 2, "not to gonginx"},
		{"backquotes around a space", "http {\n add_header X `a b`;\n}", 2, "not to gonginx"},
		{"word not in UTF-8", "http {\n server_name caf\xe9;\n}", 2, "UTF-8"},
		{"unbalanced brace in a Lua string", "http {\n init_by_lua_block {\n  print(\"}\")\n }\n}", 2, "would miscount"},
		{"unbalanced brace in a Lua comment", "http {\n init_by_lua_block { -- {\n }\n}", 2, "would miscount"},
		{"Lua block with a parameter", "http {\n set_by_lua_block $res { return 1 }\n}", 2, "read the body"},
		{"quoted Lua directive", "http {\n \"init_by_lua_block\" { }\n}", 2, "read the body"},
		{"upstream named like a Lua directive", "http {\n upstream x_by_lua_block { server a; }\n}", 2, "read the body"},
		{"carriage return inside a comment", "http {\n # a\rupstream u { }\n}", 2, "carriage return"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a, err := AnalyzeContent(c.content, Options{NginxVersion: "1.22.1", StrictIncludes: true})
			if err == nil {
				t.Fatalf("want an error, got %+v", a)
			}
			wantError(t, err, "", c.line, c.fragment)
		})
	}
}

// Broken files from the corpus: nginx -t 1.22.1 names the same file and line.
func TestCorpusBroken(t *testing.T) {
	corpus := filepath.Join("testdata", "corpus")
	cases := []struct {
		main, errFile string
		line          int
		fragment      string
	}{
		{"braces/extra-brace.conf", "braces/extra-brace.conf", 11, "no block is open"},
		{"braces/missing-brace.conf", "braces/missing-brace.conf", 23, "not closed"},
		{"missing-semicolon-above/nginx.conf", "missing-semicolon-above/nginx.conf", 5, "missing its \";\""},
		{"missing-semicolon-below/nginx.conf", "missing-semicolon-below/nginx.conf", 8, "missing its \";\""},
		{"premature-eof/nginx.conf", "premature-eof/nginx.conf", 3, "unexpected end of file"},
		{"quote-behavior/nginx.conf", "quote-behavior/nginx.conf", 1, "after a quoted string"},
		{"includes-cycle/invalid/nginx.conf", "includes-cycle/invalid/location2.conf", 2, "location1.conf -> location2.conf -> location1.conf"},
		// nginx resolves includes from the main file's directory, not the including file's.
		{"includes-regular/nginx.conf", "includes-regular/conf.d/server.conf", 5, "includes-regular/bar.conf: no such file"},
		{"ingress-nginx/cleanConf.src.conf", "ingress-nginx/cleanConf.src.conf", 183, "opened at line 37"},
	}
	for _, c := range cases {
		t.Run(c.main, func(t *testing.T) {
			_, err := AnalyzeFile(filepath.Join(corpus, c.main), Options{StrictIncludes: true})
			wantError(t, err, filepath.Join(corpus, c.errFile), c.line, c.fragment)
		})
	}
}

// Valid corpus files load; unknown directives, Lua and odd quoting are passed over.
func TestCorpusValid(t *testing.T) {
	corpus := filepath.Join("testdata", "corpus")
	valid := []string{
		"lua-block-larger/nginx.conf", "lua-basic/nginx.conf", "includes-globbed/nginx.conf",
		"includes-cycle/valid/nginx.conf", "quoted-right-brace/nginx.conf", "ubuntu-default/nginx.conf",
		"upstream_resolver_directive/simple.conf", "upstream_resolver_directive/multiple_resolvers.conf",
		"simple-variable-with-braces/nginx.conf", "russian-text/nginx.conf",
		"spelling-mistake/nginx.conf", "geoip2/nginx.conf", "oidc/nginx.conf", "empty-config/nginx.conf",
		"ingress-nginx/rootfs-nginx.conf",
	}
	for _, name := range valid {
		t.Run(name, func(t *testing.T) {
			if _, err := AnalyzeFile(filepath.Join(corpus, name), Options{}); err != nil {
				t.Fatal(err)
			}
		})
	}
	// (lua-block-simple, lua-block-tricky, messy and comments-between-args hold text gonginx
	// would misread; TestGolden checks that the guard refuses them.)
	a, err := AnalyzeFile(filepath.Join(corpus, "upstream_resolver_directive", "multiple_resolvers.conf"), Options{NginxVersion: "1.22.1"})
	if err != nil {
		t.Fatal(err)
	}
	if u := a.Upstreams["upstream1"]; u.Keepalive == nil || *u.Keepalive != 64 || u.KeepaliveRequests != 100 {
		t.Errorf("upstream1 = %+v", u)
	}
}

func TestIncludes(t *testing.T) {
	outside := writeTree(t, map[string]string{"secret.conf": "upstream stolen { server 10.0.0.1; } # TOP-SECRET-TOKEN\n"})
	root := writeTree(t, map[string]string{
		"nginx.conf":           "http {\n include conf.d/*.conf;\n}\n",
		"conf.d/b.conf":        "upstream b { server 127.0.0.1:2; }\n",
		"conf.d/a.conf":        "upstream a { server 127.0.0.1:1; }\n",
		"conf.d/.dot.conf":     "upstream dot { server 127.0.0.1:3; }\n",
		"escape.conf":          "http {\n include ../" + filepath.Base(outside) + "/secret.conf;\n}\n",
		"absolute.conf":        "http {\n include " + filepath.Join(outside, "secret.conf") + ";\n}\n",
		"symlink.conf":         "http {\n include link.conf;\n}\n",
		"missing.conf":         "http {\n include nothere.conf;\n}\n",
		"nomatch.conf":         "http {\n include none/*.conf;\n}\n",
		"dir.conf":             "http {\n include conf.d;\n}\n",
		"fifo.conf":            "http {\n include pipe;\n}\n",
		"cycle.conf":           "http {\n include c1.conf;\n}\n",
		"c1.conf":              "include c2.conf;\n",
		"c2.conf":              "\ninclude c1.conf;\n",
		"self.conf":            "include self.conf;\n",
		"inner/sub.conf":       "upstream sub { server 127.0.0.1:4; }\n",
		"relative.conf":        "http {\n include inner/relay.conf;\n}\n",
		"inner/relay.conf":     "include inner/sub.conf;\n",
		"dotpattern.conf":      "http {\n include conf.d/.*.conf;\n}\n",
		"broken-include.conf":  "http {\n include broken.inc;\n}\n",
		"broken.inc":           "upstream x {\n server a\n}\n",
		"devzero-link.conf":    "http {\n include zero;\n}\n",
		"dangling.conf":        "http {\n include dangling;\n}\n",
		"symlink-inside.conf":  "http {\n include alias.conf;\n}\n",
		"diamond.conf":         "http {\n include d1.conf;\n include d2.conf;\n}\n",
		"d1.conf":              "include shared.inc;\n",
		"d2.conf":              "include shared.inc;\n",
		"shared.inc":           "map $a $b_${shared} { default 1; }\n",
		"upstream-in-glob.txt": "",
	})
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.Symlink(filepath.Join(outside, "secret.conf"), filepath.Join(root, "link.conf")))
	must(os.Symlink("/dev/zero", filepath.Join(root, "zero")))
	must(os.Symlink(filepath.Join(root, "gone"), filepath.Join(root, "dangling")))
	must(os.Symlink(filepath.Join(root, "conf.d", "a.conf"), filepath.Join(root, "alias.conf")))
	must(mkfifo(filepath.Join(root, "pipe")))
	at := func(name string) string { return filepath.Join(root, name) }

	a, err := AnalyzeFile(at("nginx.conf"), Options{})
	must(err)
	if len(a.Upstreams) != 2 || a.Upstreams["a"].File != at("conf.d/a.conf") || a.Upstreams["b"].Line != 1 {
		t.Errorf("glob include: %+v", a.Upstreams)
	}

	t.Run("relative to the main file, not the including file", func(t *testing.T) {
		a, err := AnalyzeFile(at("relative.conf"), Options{})
		must(err)
		if _, ok := a.Upstreams["sub"]; !ok {
			t.Errorf("inner/relay.conf's include inner/sub.conf is relative to the main directory: %+v", a.Upstreams)
		}
	})
	t.Run("explicit dot pattern matches dotfiles", func(t *testing.T) {
		a, err := AnalyzeFile(at("dotpattern.conf"), Options{})
		must(err)
		if _, ok := a.Upstreams["dot"]; !ok {
			t.Errorf("conf.d/.*.conf names dotfiles explicitly: %+v", a.Upstreams)
		}
	})
	// nginx accepts a wildcard that matches nothing, so strict includes accept it too; an
	// info finding says nothing was read.
	t.Run("glob without matches is fine", func(t *testing.T) {
		for _, strict := range []bool{false, true} {
			a, err := AnalyzeFile(at("nomatch.conf"), Options{StrictIncludes: strict})
			must(err)
			if info := findingsAt(a, SeverityInfo, 2); len(info) != 1 || len(a.Findings) != 1 || !strings.Contains(info[0], "matches no file") {
				t.Errorf("strict %v: want one info finding at line 2, got %+v", strict, a.Findings)
			}
		}
	})
	t.Run("symlink inside the root", func(t *testing.T) {
		a, err := AnalyzeFile(at("symlink-inside.conf"), Options{})
		must(err)
		if _, ok := a.Upstreams["a"]; !ok {
			t.Errorf("alias.conf -> conf.d/a.conf: %+v", a.Upstreams)
		}
	})
	t.Run("a file included twice (not a cycle)", func(t *testing.T) {
		_, err := AnalyzeFile(at("diamond.conf"), Options{})
		must(err)
	})

	// Includes that cannot be read here are skipped unread with a warning at the include;
	// strict includes make them the error nginx would report.
	unreadable := []struct {
		main      string
		fragments []string
	}{
		{"escape.conf", []string{"outside the include root", "never read"}},
		{"absolute.conf", []string{"outside the include root", "never read"}},
		{"symlink.conf", []string{"symbolic link", "outside the include root"}},
		{"devzero-link.conf", []string{"outside the include root"}},
		{"missing.conf", []string{"nothere.conf", "no such file"}},
		{"dangling.conf", []string{"no such file"}},
	}
	for _, c := range unreadable {
		t.Run(c.main, func(t *testing.T) {
			a, err := AnalyzeFile(at(c.main), Options{})
			must(err)
			warnings := findingsAt(a, SeverityWarning, 2)
			if len(warnings) != 1 || a.Findings[0].File != at(c.main) {
				t.Fatalf("want one warning at %s:2, got %+v", at(c.main), a.Findings)
			}
			for _, want := range append(c.fragments, "skipped unread", "not analysed", "strict_includes") {
				if !strings.Contains(warnings[0], want) {
					t.Errorf("warning %q lacks %q", warnings[0], want)
				}
			}
			if _, ok := a.Upstreams["stolen"]; ok || strings.Contains(warnings[0], "TOP-SECRET-TOKEN") {
				t.Errorf("a file outside the root was read: %+v", a)
			}
			_, err = AnalyzeFile(at(c.main), Options{StrictIncludes: true})
			wantError(t, err, at(c.main), 2, c.fragments...)
			if err != nil && strings.Contains(err.Error(), "TOP-SECRET-TOKEN") {
				t.Errorf("error leaks the content of a file outside the root: %v", err)
			}
		})
	}
	t.Run("the rest of the configuration is still analysed", func(t *testing.T) {
		a, err := AnalyzeContent("http {\n include /etc/nginx/mime.types;\n include conf.d/*.conf;\n}", Options{IncludeRoot: root})
		must(err)
		if _, ok := a.Upstreams["a"]; !ok || len(findingsAt(a, SeverityWarning, 2)) != 1 {
			t.Errorf("want upstream a from conf.d and a warning at line 2: %+v", a)
		}
	})

	errCases := []struct {
		main, file string
		line       int
		fragments  []string
	}{
		{"dir.conf", "dir.conf", 2, []string{"not a regular file", "directory"}},
		{"fifo.conf", "fifo.conf", 2, []string{"not a regular file", fifoKind}},
		{"cycle.conf", "c2.conf", 2, []string{"include cycle", "c1.conf -> c2.conf -> c1.conf"}},
		{"self.conf", "self.conf", 1, []string{"include cycle", "self.conf -> self.conf"}},
		{"broken-include.conf", "broken.inc", 3, []string{"missing its \";\""}},
	}
	for _, c := range errCases {
		t.Run(c.main, func(t *testing.T) {
			_, err := AnalyzeFile(at(c.main), Options{})
			wantError(t, err, at(c.file), c.line, c.fragments...)
		})
	}

	t.Run("include root given for inline content", func(t *testing.T) {
		a, err := AnalyzeContent("http {\n include conf.d/*.conf;\n}", Options{IncludeRoot: root})
		must(err)
		if a.Upstreams["a"].File != at("conf.d/a.conf") {
			t.Errorf("inline content with include root: %+v", a.Upstreams)
		}
		_, err = AnalyzeContent("http {\n include ../x.conf;\n}", Options{IncludeRoot: root, StrictIncludes: true})
		wantError(t, err, "", 2, "outside the include root")
	})
	t.Run("inline content without a root", func(t *testing.T) {
		a, err := AnalyzeContent("http {\n include x.conf;\n}", Options{})
		must(err)
		if w := findingsAt(a, SeverityWarning, 2); len(w) != 1 || !strings.Contains(w[0], "include root") {
			t.Errorf("want a warning naming the missing include root at line 2: %+v", a.Findings)
		}
	})
	t.Run("include root narrower than the main directory", func(t *testing.T) {
		_, err := AnalyzeFile(at("nginx.conf"), Options{IncludeRoot: at("inner"), StrictIncludes: true})
		wantError(t, err, at("nginx.conf"), 2, "outside the include root")
	})
	t.Run("main file that is not a regular file", func(t *testing.T) {
		for _, p := range []string{"/dev/zero", at("pipe"), at("conf.d")} {
			_, err := AnalyzeFile(p, Options{IncludeRoot: root})
			wantError(t, err, p, 0, "not a regular file")
		}
		_, err := AnalyzeFile(at("absent.conf"), Options{})
		wantError(t, err, at("absent.conf"), 0, "no such file")
	})
	// A path in a directory that does not exist is that file missing, not its directory (the
	// default include root) failing to resolve.
	t.Run("path in a missing directory", func(t *testing.T) {
		p := at("nowhere/nginx.conf")
		_, err := AnalyzeFile(p, Options{})
		wantError(t, err, p, 0, "no such file or directory")
		if strings.Contains(err.Error(), "include root") {
			t.Errorf("error blames the include root: %v", err)
		}
	})
}

func TestLimits(t *testing.T) {
	root := writeTree(t, map[string]string{
		"big.conf":      "http {\n include many.inc;\n include many.inc;\n include many.inc;\n}\n",
		"many.inc":      strings.Repeat("# padding padding padding padding\n", 40),
		"files.conf":    "http {\n include f/*.conf;\n}\n",
		"f/1.conf":      "",
		"f/2.conf":      "",
		"f/3.conf":      "",
		"deep.conf":     "include d1.inc;\n",
		"d1.inc":        "include d2.inc;\n",
		"d2.inc":        "include d3.inc;\n",
		"d3.inc":        "\n",
		"nest.conf":     "http {\n server {\n include loc.inc;\n }\n}\n",
		"loc.inc":       "location / {\n location /a {\n }\n}\n",
		"large.conf":    strings.Repeat("# 0123456789\n", 100),
		"largeinc.conf": "http {\n include many.inc;\n}\n",
	})
	at := func(name string) string { return filepath.Join(root, name) }
	cases := []struct {
		name, main, file string
		opts             Options
		line             int
		fragment         string
	}{
		{"total bytes count every include", "big.conf", "big.conf", Options{MaxTotalBytes: 3000}, 4, "3000 bytes in total"},
		{"file count", "files.conf", "files.conf", Options{MaxFiles: 3}, 2, "more than 3 files"},
		{"include depth", "deep.conf", "d2.inc", Options{MaxIncludeDepth: 2}, 1, "deeper than 2 files"},
		{"nesting across includes", "nest.conf", "nest.conf", Options{MaxNesting: 3}, 3, "nested deeper than 3"},
		{"main file size", "large.conf", "large.conf", Options{MaxFileBytes: 1000}, 0, "more than the limit of 1000 bytes"},
		{"included file size", "largeinc.conf", "largeinc.conf", Options{MaxFileBytes: 1000}, 2, "more than the limit of 1000 bytes"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := AnalyzeFile(at(c.main), c.opts)
			wantError(t, err, at(c.file), c.line, c.fragment)
		})
	}
	// The same files pass under the default limits.
	for _, main := range []string{"big.conf", "files.conf", "deep.conf", "nest.conf", "large.conf"} {
		if _, err := AnalyzeFile(at(main), Options{}); err != nil {
			t.Errorf("%s under default limits: %v", main, err)
		}
	}
	if _, err := AnalyzeContent(strings.Repeat("#", 2000), Options{MaxFileBytes: 1000}); err == nil || !strings.Contains(err.Error(), "limit of 1000 bytes") {
		t.Errorf("inline content over the file limit: %v", err)
	}
}

// Wildcard includes are read in sorted order, like glob(3): results follow that order.
func TestGlobOrder(t *testing.T) {
	root := writeTree(t, map[string]string{
		"nginx.conf":       "http {\n upstream u { server 127.0.0.1:1; }\n server {\n  include locations/*.conf;\n }\n}\n",
		"locations/z.conf": "location /z { proxy_pass http://u; }\n",
		"locations/a.conf": "location /a { proxy_pass http://u; }\n",
		"locations/m.conf": "location /m { proxy_pass http://u; }\n",
	})
	a, err := AnalyzeFile(filepath.Join(root, "nginx.conf"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range a.Proxies {
		got = append(got, p.Location)
	}
	if strings.Join(got, " ") != "/a /m /z" {
		t.Errorf("proxies in %v, want sorted include order /a /m /z", got)
	}
}

// Includes are resolved in the order nginx reads them: the first failing one is reported,
// although gonginx's http wrapper lists server blocks last.
func TestIncludeOrder(t *testing.T) {
	root := writeTree(t, map[string]string{
		"nginx.conf": "http {\n    server {\n        include missing_a.conf;\n    }\n    include missing_b.conf;\n}\n",
	})
	_, err := AnalyzeFile(filepath.Join(root, "nginx.conf"), Options{StrictIncludes: true})
	wantError(t, err, filepath.Join(root, "nginx.conf"), 3, "missing_a.conf", "no such file")
}

// TestIncludedFileReadInItsBlock: an included file's top level is the body of the block that
// includes it (an upstream's servers, a map's entries, a location's headers).
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
	a, err := AnalyzeFile(filepath.Join(root, "nginx.conf"), Options{NginxVersion: "1.22.1", IncludeRoot: root})
	if err != nil {
		t.Fatal(err)
	}
	u, ok := a.Upstreams["app"]
	if !ok || strings.Join(u.Servers, ",") != "10.0.0.1:8080,10.0.0.2:8080" || u.Keepalive == nil || *u.Keepalive != 16 || u.KeepaliveTimeout.Seconds() != 4 {
		t.Fatalf("upstream app from its included body: %+v", a.Upstreams)
	}
	if u.File != filepath.Join(root, "nginx.conf") || u.Line != 2 {
		t.Errorf("upstream app at %s:%d, want nginx.conf:2", u.File, u.Line)
	}
	for _, f := range a.Findings {
		if f.Severity == SeverityError || f.Severity == SeverityWarning {
			t.Errorf("HTTP/1.1 and Connection \"\" come from proxy.inc, so nothing is wrong; got %+v", f)
		}
	}
}
