package nginxconf

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/tufanbarisyildirim/gonginx/config"

	"github.com/nginx-keepalive/terraform-provider-nginxkeepalive/internal/nginxver"
	"github.com/nginx-keepalive/terraform-provider-nginxkeepalive/internal/ngxtime"
)

// balancerDirectives select a load-balancing method; before 1.29.7 one placed after
// "keepalive" replaced keepalive's hook ("load balancing method redefined").
var balancerDirectives = map[string]bool{
	"ip_hash": true, "least_conn": true, "hash": true, "random": true,
	"least_time": true, "ntlm": true, "sticky": true,
}

// node is a gonginx directive together with the file it came from, the guard's record of it
// and its first line (see file.children).
type node struct {
	d     config.IDirective
	f     *file
	rec   int
	first int
}

func (n node) name() string { return word(n.d.GetName()) }

func (n node) args() []string {
	if us, ok := n.d.(*config.UpstreamServer); ok {
		// gonginx re-orders a server's parameters; only the address is read here.
		if us.Address == "" {
			return nil
		}
		return []string{word(us.Address)}
	}
	ps := n.d.GetParameters()
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = word(p.Value)
	}
	return out
}

func (n node) isBlock() bool { return n.d.GetBlock() != nil }

// line is where the statement starts.
func (n node) line() int { return n.first }

// open returns a block's statements (includes spliced in) and the block's first line.
func (n node) open() ([]node, int, error) {
	kids, err := n.f.children(n.d, n.rec)
	return kids, n.first, err
}

func (n node) children() ([]node, error) {
	kids, _, err := n.open()
	return kids, err
}

// setting is one directive value with its place.
type setting struct {
	value string
	file  string
	line  int
}

func (s setting) at() string { return place(s.file, s.line) }

func place(file string, line int) string {
	if file == "" {
		return "line " + strconv.Itoa(line)
	}
	return file + ":" + strconv.Itoa(line)
}

// level is one http/server/location block's own proxy settings; parent is the block
// they inherit from.
type level struct {
	parent      *level
	location    bool // a location (or an if/limit_except inside one)
	httpVersion *setting
	keepConn    *setting // fastcgi_keep_conn
	headers     []header // proxy_set_header of this level; nil when it defines none
	clientKA    *setting // this level's own client-side keepalive_timeout
}

type header struct {
	name string
	setting
}

type upstreamInfo struct {
	Upstream
	keepaliveAt   *setting
	balancerAfter *setting // balancing directive placed after keepalive
	referenced    bool
}

type proxyRef struct {
	setting           // target URL and place
	kind       string // the directive: proxy_pass, fastcgi_pass or grpc_pass
	level      *level
	serverName string
	location   string
}

// connMap is a map{} block whose result for a request without Upgrade is known (or not).
type connMap struct {
	known bool
	value string
}

type analyzer struct {
	def          nginxver.Defaults
	ver          nginxver.Version
	res          *Analysis
	upstreams    map[string]*upstreamInfo // by lower-case name: nginx matches hosts case-insensitively
	order        []*upstreamInfo
	maps         map[string]connMap // by variable name without "$"
	proxies      []proxyRef
	clientKA     []setting // client-side keepalive_timeout directives
	clientKASeen map[setting]time.Duration
	// meantForBackend lists, per client-side keepalive_timeout, the upstreams that make it look
	// meant for the backends (see clientTimeoutFindings).
	meantForBackend map[setting][]string
	findingSeen     map[Finding]bool
	httpKA          *setting // the http-level one
	httpSeen        *setting
}

// analyze walks the loaded tree; loaderFindings (includes not read) come first.
func analyze(root *file, v nginxver.Version, loaderFindings []Finding) (*Analysis, error) {
	a := &analyzer{
		def:             nginxver.DefaultsFor(v),
		ver:             v,
		res:             &Analysis{NginxVersion: v.String(), Upstreams: map[string]Upstream{}},
		upstreams:       map[string]*upstreamInfo{},
		maps:            map[string]connMap{},
		clientKASeen:    map[setting]time.Duration{},
		meantForBackend: map[setting][]string{},
		findingSeen:     map[Finding]bool{},
	}
	a.res.ClientKeepaliveTimeout = a.def.ClientKeepaliveTimeout
	for _, f := range loaderFindings {
		if !a.findingSeen[f] {
			a.findingSeen[f] = true
			a.res.Findings = append(a.res.Findings, f)
		}
	}
	top, err := root.children(nil, -1)
	if err != nil {
		return nil, err
	}
	for _, n := range top {
		if n.name() != "http" || !n.isBlock() {
			continue
		}
		if a.httpSeen != nil {
			return nil, errAt(n.f.name, n.line(), "\"http\" directive is duplicate (first at %s)", a.httpSeen.at())
		}
		a.httpSeen = &setting{file: n.f.name, line: n.line()}
		if err := a.walkHTTP(n); err != nil {
			return nil, err
		}
	}
	if err := a.walkFragment(top); err != nil {
		return nil, err
	}
	a.res.Upstreams = make(map[string]Upstream, len(a.order))
	for _, u := range a.order {
		a.finishUpstream(u)
	}
	a.resolveProxies()
	a.clientTimeoutFindings()
	return a.res, nil
}

// httpBlocks are the blocks the analysis reads inside http {}. nginx rejects them at the top
// level, so a file that has them there and no http block is a fragment written for inclusion
// inside http {}, like conf.d/*.conf or an ingress controller's generated server blocks.
var httpBlocks = []string{"upstream", "server", "map"}

// walkFragment reads a file without an http block as the body of one, saying so in a
// finding, and rejects http-level blocks beside an http block as nginx does. A file with
// neither has nothing to analyse.
func (a *analyzer) walkFragment(top []node) error {
	first := slices.IndexFunc(top, func(n node) bool { return n.isBlock() && slices.Contains(httpBlocks, n.name()) })
	if first < 0 {
		return nil
	}
	n := top[first]
	if a.httpSeen != nil {
		return errAt(n.f.name, n.line(), "%q directive is not allowed here: nginx reads it only inside http {} (the http block is at %s)",
			n.name(), a.httpSeen.at())
	}
	a.finding(SeverityInfo, n.f.name, n.line(), "no http block: the file is read as the body of http {}, as nginx reads a conf.d "+
		"file included there (first %q block here); analyse the nginx.conf that includes it to see the settings it inherits", n.name())
	return a.walkHTTPBody(top)
}

func (a *analyzer) walkHTTP(n node) error {
	kids, err := n.children()
	if err != nil {
		return err
	}
	return a.walkHTTPBody(kids)
}

// walkHTTPBody reads the statements of an http block.
func (a *analyzer) walkHTTPBody(kids []node) error {
	lv, err := a.newLevel(nil, kids, levelHTTP)
	if err != nil {
		return err
	}
	for _, k := range kids {
		if !k.isBlock() {
			continue
		}
		switch k.name() {
		case "upstream":
			err = a.collectUpstream(k)
		case "map":
			err = a.collectMap(k)
		case "server":
			err = a.walkServer(k, lv)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

func (a *analyzer) walkServer(n node, parent *level) error {
	kids, _, err := n.open()
	if err != nil {
		return err
	}
	lv, err := a.newLevel(parent, kids, levelServer)
	if err != nil {
		return err
	}
	serverName := ""
	for _, k := range kids {
		if k.name() == "server_name" && !k.isBlock() && serverName == "" {
			serverName = strings.Join(k.args(), " ")
		}
	}
	for _, k := range kids {
		if k.name() == "location" && k.isBlock() {
			if err := a.walkLocation(k, lv, serverName, strings.Join(k.args(), " ")); err != nil {
				return err
			}
		}
	}
	return nil
}

// walkLocation handles location, and "if"/"limit_except" inside it, which inherit from it.
func (a *analyzer) walkLocation(n node, parent *level, serverName, location string) error {
	kids, err := n.children()
	if err != nil {
		return err
	}
	lv, err := a.newLevel(parent, kids, levelLocation)
	if err != nil {
		return err
	}
	for _, k := range kids {
		switch name := k.name(); {
		case name == "location" && k.isBlock():
			err = a.walkLocation(k, lv, serverName, strings.Join(k.args(), " "))
		case (name == "if" || name == "limit_except") && k.isBlock():
			err = a.walkLocation(k, lv, serverName, location)
		case passDirectives[name] && !k.isBlock():
			args := k.args()
			if len(args) != 1 {
				return errAt(k.f.name, k.line(), "invalid number of arguments in %q directive: want 1 address, got %d", name, len(args))
			}
			a.proxies = append(a.proxies, proxyRef{setting: setting{args[0], k.f.name, k.line()}, kind: name, level: lv, serverName: serverName, location: location})
		}
		if err != nil {
			return err
		}
	}
	return nil
}

var passDirectives = map[string]bool{KindProxy: true, KindFastCGI: true, KindGRPC: true}

// levelKind is the block a level is read from.
type levelKind int

const (
	levelHTTP levelKind = iota
	levelServer
	levelLocation
)

// newLevel reads the directives of one block that later levels inherit.
func (a *analyzer) newLevel(parent *level, kids []node, kind levelKind) (*level, error) {
	lv := &level{parent: parent, location: kind == levelLocation}
	for _, k := range kids {
		if k.isBlock() {
			continue
		}
		switch k.name() {
		case "proxy_http_version":
			args := k.args()
			if len(args) != 1 {
				return nil, errAt(k.f.name, k.line(), "invalid number of arguments in \"proxy_http_version\" directive: want 1, got %d", len(args))
			}
			if lv.httpVersion != nil {
				return nil, errAt(k.f.name, k.line(), "\"proxy_http_version\" directive is duplicate (first at %s)", lv.httpVersion.at())
			}
			switch args[0] {
			case "1.0", "1.1":
			case "2":
				if a.ver.Less(nginxver.ProxyHTTP2) {
					a.finding(SeverityError, k.f.name, k.line(), "proxy_http_version 2 needs nginx %s or newer; nginx %s rejects it", nginxver.ProxyHTTP2, a.ver)
				}
			default:
				return nil, errAt(k.f.name, k.line(), "invalid value %q in \"proxy_http_version\" directive: want 1.0, 1.1 or 2", args[0])
			}
			lv.httpVersion = &setting{args[0], k.f.name, k.line()}
		case "proxy_set_header":
			args := k.args()
			if len(args) != 2 {
				return nil, errAt(k.f.name, k.line(), "invalid number of arguments in \"proxy_set_header\" directive: want a field name and a value, got %d arguments", len(args))
			}
			lv.headers = append(lv.headers, header{name: args[0], setting: setting{args[1], k.f.name, k.line()}})
		case "fastcgi_keep_conn":
			args := k.args()
			if len(args) != 1 || (args[0] != "on" && args[0] != "off") {
				return nil, errAt(k.f.name, k.line(), "invalid value in \"fastcgi_keep_conn\" directive: it must be \"on\" or \"off\"")
			}
			if lv.keepConn != nil {
				return nil, errAt(k.f.name, k.line(), "\"fastcgi_keep_conn\" directive is duplicate (first at %s)", lv.keepConn.at())
			}
			lv.keepConn = &setting{args[0], k.f.name, k.line()}
		case "keepalive_timeout":
			s, err := a.clientKeepaliveTimeout(k, kind == levelHTTP)
			if err != nil {
				return nil, err
			}
			lv.clientKA = &s
		}
	}
	return lv, nil
}

// clientKeepaliveTimeout reads the core module's keepalive_timeout (client connections).
func (a *analyzer) clientKeepaliveTimeout(k node, isHTTP bool) (setting, error) {
	args := k.args()
	if len(args) < 1 || len(args) > 2 {
		return setting{}, errAt(k.f.name, k.line(), "invalid number of arguments in \"keepalive_timeout\" directive: want a timeout and optionally a header timeout, got %d", len(args))
	}
	d, err := ngxtime.Parse(args[0])
	if err != nil {
		return setting{}, errAt(k.f.name, k.line(), "keepalive_timeout: %v", err)
	}
	s := setting{args[0], k.f.name, k.line()}
	if _, seen := a.clientKASeen[s]; seen {
		return s, nil // the same included file seen again
	}
	a.clientKASeen[s] = d
	a.clientKA = append(a.clientKA, s)
	if isHTTP {
		if a.res.ClientKeepaliveTimeoutExplicit {
			return setting{}, errAt(k.f.name, k.line(), "\"keepalive_timeout\" directive is duplicate")
		}
		a.res.ClientKeepaliveTimeout, a.res.ClientKeepaliveTimeoutExplicit = d, true
		a.httpKA = &s
	}
	return s, nil
}

func (a *analyzer) collectUpstream(n node) error {
	kids, line, err := n.open()
	if err != nil {
		return err
	}
	args := n.args()
	if len(args) != 1 {
		return errAt(n.f.name, line, "invalid number of arguments in \"upstream\" directive: want 1 name, got %d", len(args))
	}
	key := strings.ToLower(args[0])
	if prev, ok := a.upstreams[key]; ok {
		return errAt(n.f.name, line, "duplicate upstream %q (first defined at %s)", args[0], place(prev.File, prev.Line))
	}
	u := &upstreamInfo{Upstream: Upstream{Name: args[0], File: n.f.name, Line: line}}
	a.upstreams[key] = u
	a.order = append(a.order, u)
	seen := make([]header, 0, 4) // the keep-alive directives so far: at most four
	for _, k := range kids {
		name := k.name()
		if balancerDirectives[name] {
			if u.keepaliveAt != nil && u.balancerAfter == nil {
				u.balancerAfter = &setting{file: k.f.name, line: k.line()}
			}
			continue
		}
		switch name {
		case "server", "keepalive", "keepalive_timeout", "keepalive_requests", "keepalive_time":
		default:
			continue
		}
		args := k.args()
		if name == "server" {
			if len(args) == 0 {
				return errAt(k.f.name, k.line(), "invalid number of arguments in \"server\" directive: want an address")
			}
			u.Servers = append(u.Servers, args[0])
			continue
		}
		for _, prev := range seen {
			if prev.name == name {
				return errAt(k.f.name, k.line(), "%q directive is duplicate (first at %s)", name, prev.at())
			}
		}
		seen = append(seen, header{name: name, setting: setting{file: k.f.name, line: k.line()}})
		u.Explicit = append(u.Explicit, name)
		if err := a.upstreamDirective(u, k, name, args); err != nil {
			return err
		}
	}
	return nil
}

// upstreamDirective checks and stores one keep-alive directive of an upstream block.
func (a *analyzer) upstreamDirective(u *upstreamInfo, k node, name string, args []string) error {
	file, line := k.f.name, k.line()
	bad := func(format string, v ...any) error { return errAt(file, line, format, v...) }
	switch name {
	case "keepalive":
		if len(args) < 1 || len(args) > 2 {
			return bad("invalid number of arguments in \"keepalive\" directive: want a connection count and optionally \"local\", got %d arguments", len(args))
		}
		n, ok := atoi(args[0])
		if !ok {
			return bad("invalid value %q in \"keepalive\" directive: want a whole number of connections", args[0])
		}
		if len(args) == 2 && args[1] != "local" {
			return bad("invalid parameter %q in \"keepalive\" directive: only \"local\" is allowed", args[1])
		}
		if len(args) == 2 && !a.def.KeepaliveOnByDefault {
			a.finding(SeverityError, file, line, "\"keepalive ... local\" needs nginx %s or newer; nginx %s rejects it", nginxver.KeepaliveByDefault, a.ver)
		}
		if n == 0 && !a.def.KeepaliveOnByDefault {
			a.finding(SeverityError, file, line, "\"keepalive 0\" is rejected by nginx %s (invalid value); before %s omit the directive to turn upstream keep-alive off", a.ver, nginxver.KeepaliveByDefault)
		}
		u.Keepalive = &n
		u.KeepaliveLocal = len(args) == 2
		u.keepaliveAt = &setting{args[0], file, line}
	case "keepalive_timeout", "keepalive_time":
		if len(args) != 1 {
			return bad("invalid number of arguments in %q directive inside upstream: want 1 time, got %d", name, len(args))
		}
		d, err := ngxtime.Parse(args[0])
		if err != nil {
			return bad("%s: %v", name, err)
		}
		if name == "keepalive_timeout" {
			u.KeepaliveTimeout = d
		} else {
			u.KeepaliveTime = d
		}
	case "keepalive_requests":
		if len(args) != 1 {
			return bad("invalid number of arguments in \"keepalive_requests\" directive: want 1 number, got %d", len(args))
		}
		n, ok := atoi(args[0])
		if !ok {
			return bad("invalid value %q in \"keepalive_requests\" directive: want a whole number", args[0])
		}
		u.KeepaliveRequests = n
	}
	switch {
	case (name == "keepalive_timeout" || name == "keepalive_requests") && !a.def.SupportsUpstreamTimeouts:
		a.finding(SeverityError, file, line, "%q inside upstream needs nginx %s or newer; nginx %s rejects it", name, nginxver.UpstreamKeepaliveTimeout, a.ver)
	case name == "keepalive_time" && !a.def.SupportsKeepaliveTime:
		a.finding(SeverityError, file, line, "\"keepalive_time\" needs nginx %s or newer; nginx %s rejects it", nginxver.KeepaliveTime, a.ver)
	}
	return nil
}

// atoi is ngx_atoi: decimal digits only, no sign, no overflow.
func atoi(s string) (int64, bool) {
	if s == "" {
		return 0, false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	return n, err == nil
}

// finishUpstream fills defaults and records the upstream.
func (a *analyzer) finishUpstream(u *upstreamInfo) {
	has := func(name string) bool {
		for _, e := range u.Explicit {
			if e == name {
				return true
			}
		}
		return false
	}
	if !has("keepalive_timeout") {
		u.KeepaliveTimeout = a.def.UpstreamKeepaliveTimeout
	}
	if !has("keepalive_requests") {
		u.KeepaliveRequests = a.def.UpstreamKeepaliveRequests
	}
	if !has("keepalive_time") {
		u.KeepaliveTime = a.def.UpstreamKeepaliveTime
	}
	if u.Keepalive == nil && a.def.KeepaliveOnByDefault {
		// ngx_http_upstream_keepalive_init_main_conf: no directive means "keepalive 32 local".
		pool := a.def.UpstreamKeepalivePool
		u.Keepalive, u.KeepaliveLocal = &pool, true
	}
	if u.pool() == 0 {
		u.KeepaliveLocal = false // no pool, no mode
	}
	if u.balancerAfter != nil && !a.def.KeepaliveOnByDefault {
		a.finding(SeverityWarning, u.balancerAfter.file, u.balancerAfter.line,
			"upstream %q: this load-balancing method comes after \"keepalive\" (%s) and replaces it, so nginx %s keeps no idle connections (it logs \"load balancing method redefined\"); put \"keepalive\" after the balancing method",
			u.Name, u.keepaliveAt.at(), a.ver)
		u.Keepalive = nil
	}
	a.res.Upstreams[u.Name] = u.Upstream
}

func (u *upstreamInfo) pool() int64 {
	if u.Keepalive == nil {
		return 0
	}
	return *u.Keepalive
}

func (a *analyzer) collectMap(n node) error {
	args := n.args()
	if len(args) != 2 {
		return errAt(n.f.name, n.line(), "invalid number of arguments in \"map\" directive: want a source and a variable, got %d", len(args))
	}
	variable := strings.TrimPrefix(args[1], "$")
	if args[0] != "$http_upgrade" {
		a.maps[variable] = connMap{}
		return nil
	}
	// A request without Upgrade has an empty $http_upgrade: the '' entry wins, else a regex
	// might match, else the default (an empty string when none is given).
	var exact, def *string
	regex := false
	kids, err := n.children()
	if err != nil {
		return err
	}
	for _, k := range kids {
		key, vals := k.name(), k.args()
		if len(vals) != 1 {
			continue // hostnames, volatile, or an invalid entry nginx would reject
		}
		v := vals[0]
		switch {
		case key == "":
			exact = &v
		case key == "default":
			def = &v
		case strings.HasPrefix(key, "~"):
			regex = true
		}
	}
	switch {
	case exact != nil:
		a.maps[variable] = connMap{known: true, value: *exact}
	case regex:
		a.maps[variable] = connMap{}
	case def != nil:
		a.maps[variable] = connMap{known: true, value: *def}
	default:
		a.maps[variable] = connMap{known: true}
	}
	return nil
}

// finding records a finding once: a snippet included in several places would otherwise
// repeat the same finding at the same file:line.
func (a *analyzer) finding(sev, file string, line int, format string, args ...any) {
	f := Finding{Severity: sev, File: file, Line: line, Message: fmt.Sprintf(format, args...)}
	if a.findingSeen[f] {
		return
	}
	a.findingSeen[f] = true
	a.res.Findings = append(a.res.Findings, f)
}

// passTarget is what a proxy_pass, fastcgi_pass or grpc_pass names.
type passTarget struct {
	host    string // literal host, "" when not a name or address nginx could match to a block
	hasPort bool
	// runtime: a variable in the host (or in the scheme) defers the choice of upstream to run
	// time; variables in proxy_pass's URI do not, since nginx matches the evaluated host
	// against the upstream blocks first (ngx_http_upstream_init_request).
	runtime bool
	// variables: the URL holds variables (then nginx matches a block only when no port is given).
	variables bool
	badPrefix bool // proxy_pass without http:// or https://
}

// parsePass reads the address of a pass directive as nginx does (ngx_http_proxy_pass,
// ngx_http_fastcgi_pass, ngx_http_grpc_pass). fastcgi_pass and grpc_pass take no URI, so any
// variable in them is in the host.
func parsePass(kind, url string) passTarget {
	t := passTarget{variables: strings.Contains(url, "$")}
	rest := url
	switch kind {
	case KindProxy:
		i := strings.Index(url, "://")
		if i < 0 {
			t.runtime, t.badPrefix = t.variables, !t.variables
			return t
		}
		switch scheme := strings.ToLower(url[:i]); scheme {
		case "http", "https":
		case "$scheme": // the request's scheme: always http or https
		default:
			t.runtime, t.badPrefix = strings.Contains(scheme, "$"), !strings.Contains(scheme, "$")
			return t
		}
		rest = url[i+3:]
		rest = rest[:hostEnd(rest)]
	case KindGRPC:
		lower := strings.ToLower(rest)
		for _, scheme := range []string{"grpc://", "grpcs://"} {
			if strings.HasPrefix(lower, scheme) {
				rest = rest[len(scheme):]
			}
		}
	}
	if strings.Contains(rest, "$") {
		t.runtime = true
		return t
	}
	if rest == "" || strings.HasPrefix(rest, "[") || strings.HasPrefix(strings.ToLower(rest), "unix:") {
		return t // unix sockets and IPv6 addresses are never upstream blocks
	}
	t.host = rest
	if i := strings.LastIndexByte(rest, ':'); i >= 0 {
		t.host, t.hasPort = rest[:i], true
	}
	return t
}

// uriVariables always start with "/", so in "http://backend$request_uri" they begin the URI.
var uriVariables = []string{"$request_uri", "$uri", "$document_uri"}

// hostEnd is where the host part of a proxy_pass URL (after the scheme) ends: at "/", "?" or
// a variable that always starts with "/".
func hostEnd(rest string) int {
	for i := 0; i < len(rest); i++ {
		switch rest[i] {
		case '/', '?':
			return i
		case '$':
			for _, v := range uriVariables {
				if strings.HasPrefix(rest[i:], v) && (len(rest) == i+len(v) || !isVarChar(rest[i+len(v)])) {
					return i
				}
			}
		}
	}
	return len(rest)
}

func isVarChar(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

func (a *analyzer) resolveProxies() {
	a.res.Proxies = make([]Proxy, 0, len(a.proxies))
	for _, p := range a.proxies {
		t := parsePass(p.kind, p.value)
		switch {
		case t.badPrefix:
			a.finding(SeverityError, p.file, p.line, "proxy_pass %q: invalid URL prefix; nginx wants http:// or https://", p.value)
			continue
		case t.runtime:
			a.finding(SeverityInfo, p.file, p.line, "%s %q takes its host from a variable, so the upstream it reaches is only known at run time; keep-alive is not checked here", p.kind, p.value)
			continue
		}
		u := a.upstreams[strings.ToLower(t.host)]
		if u == nil || t.host == "" {
			continue // a host name or address: an implicit upstream, which never has a pool
		}
		if t.hasPort && t.variables {
			a.finding(SeverityInfo, p.file, p.line, "%s %q names upstream %q with a port: with variables in the URL nginx then does not use the upstream block but resolves %q as a host name at run time (no pool); drop the port to use the block",
				p.kind, p.value, u.Name, t.host)
			continue
		}
		if t.hasPort {
			a.finding(SeverityError, p.file, p.line, "%s %q: upstream %q may not have a port (nginx rejects this); drop the port", p.kind, p.value, u.Name)
			continue
		}
		u.referenced = true
		a.res.Proxies = append(a.res.Proxies, a.proxy(p, u))
		a.noteClientTimeouts(p, u)
	}
	for _, u := range a.order {
		if u.referenced && u.Keepalive == nil && u.balancerAfter == nil {
			a.finding(SeverityInfo, u.File, u.Line, "upstream %q has no \"keepalive\" directive: nginx %s opens a new connection for every request (under load this can exhaust local ports)", u.Name, a.ver)
		}
	}
}

// noteClientTimeouts records the client-side keepalive_timeout of the locations around a pass
// to a pooled upstream without a keepalive_timeout of its own, when its value lies between 0
// and the upstream default: a client timeout placed there, shorter than what the upstream
// keeps, is the shape of a setting meant for the backends.
func (a *analyzer) noteClientTimeouts(p proxyRef, u *upstreamInfo) {
	if u.pool() == 0 || slices.Contains(u.Explicit, "keepalive_timeout") {
		return
	}
	for lv := p.level; lv != nil && lv.location; lv = lv.parent {
		if lv.clientKA == nil {
			continue
		}
		d := a.clientKASeen[*lv.clientKA]
		if d > 0 && d < a.def.UpstreamKeepaliveTimeout && !slices.Contains(a.meantForBackend[*lv.clientKA], u.Name) {
			a.meantForBackend[*lv.clientKA] = append(a.meantForBackend[*lv.clientKA], u.Name)
		}
	}
}

// connState is what nginx sends as Connection to the backend for a plain request.
type connState int

const (
	connDefault connState = iota // no proxy_set_header Connection: nginx's default
	connCleared                  // empty or a value other than close
	connClose
	connUnknown // from a variable we cannot evaluate
)

func (a *analyzer) connectionValue(v string) connState {
	if strings.Contains(v, "$") {
		name := strings.TrimPrefix(v, "$")
		name = strings.TrimSuffix(strings.TrimPrefix(name, "{"), "}")
		m, ok := a.maps[name]
		if !ok || !m.known || strings.ContainsAny(name, "$ ") || strings.Contains(m.value, "$") {
			return connUnknown
		}
		v = m.value
	}
	if strings.EqualFold(strings.TrimSpace(v), "close") {
		return connClose
	}
	return connCleared
}

// effectiveHeaders follows nginx's array inheritance: a level that defines any
// proxy_set_header replaces every inherited one.
func effectiveHeaders(lv *level) *level {
	for ; lv != nil; lv = lv.parent {
		if lv.headers != nil {
			return lv
		}
	}
	return nil
}

func connectionHeader(lv *level) *header {
	if lv == nil {
		return nil
	}
	var found *header
	for i := range lv.headers {
		if strings.EqualFold(lv.headers[i].name, "Connection") {
			found = &lv.headers[i]
		}
	}
	return found
}

func (a *analyzer) proxy(p proxyRef, u *upstreamInfo) Proxy {
	switch p.kind {
	case KindFastCGI:
		return a.fastcgi(p, u)
	case KindGRPC:
		// gRPC is HTTP/2: nginx keeps the connection when a stream ends cleanly, whatever the headers.
		return Proxy{File: p.file, Line: p.line, ServerName: p.serverName, Location: p.location, Upstream: u.Name,
			Kind: p.kind, KeepaliveEffective: u.pool() > 0}
	}
	version, versionAt := a.def.ProxyHTTPVersion, (*setting)(nil)
	for lv := p.level; lv != nil; lv = lv.parent {
		if lv.httpVersion != nil {
			version, versionAt = lv.httpVersion.value, lv.httpVersion
			break
		}
	}
	headersAt := effectiveHeaders(p.level)
	conn := connectionHeader(headersAt)
	state := connDefault
	if conn != nil {
		state = a.connectionValue(conn.value)
	}
	// Over HTTP/2 (ngx_http_proxy_v2_module) the Connection header does not decide reuse: nginx
	// keeps the connection when the stream ends cleanly.
	http2 := version == "2"
	connOK := http2 || state == connCleared || (state == connDefault && !a.def.NeedsProxyHeaders)
	httpOK := version == "1.1" || http2
	pool := u.pool()
	out := Proxy{
		File: p.file, Line: p.line, ServerName: p.serverName, Location: p.location, Upstream: u.Name, Kind: p.kind,
		ProxyHTTPVersion:       version,
		ClearsConnectionHeader: state == connCleared,
		KeepaliveEffective:     pool > 0 && httpOK && connOK,
	}
	if pool <= 0 || http2 {
		return out
	}
	if !httpOK {
		versionFrom := fmt.Sprintf("nginx %s's default", a.ver) // built only when reported
		if versionAt != nil {
			versionFrom = "set at " + versionAt.at()
		}
		a.finding(SeverityWarning, p.file, p.line,
			"upstream %q keeps up to %d idle connections, but this location talks HTTP/%s to it (%s): nginx closes every backend connection, so upstream keep-alive is silently off; add \"proxy_http_version 1.1;\"",
			u.Name, pool, version, versionFrom)
	}
	switch state {
	case connUnknown:
		a.finding(SeverityInfo, p.file, p.line, "the Connection header sent to upstream %q comes from %q (%s), whose value cannot be determined here; keep-alive needs it to be empty for plain requests", u.Name, conn.value, conn.at())
	case connClose:
		a.finding(SeverityWarning, p.file, p.line, "upstream %q keeps idle connections, but the Connection header sent to it is \"close\" (%s), so every backend connection is closed after one request; use proxy_set_header Connection \"\"", u.Name, conn.at())
	case connDefault:
		if connOK {
			break
		}
		a.finding(SeverityWarning, p.file, p.line, "upstream %q keeps idle connections, but %s; nginx %s then sends \"Connection: close\" and closes every backend connection; add proxy_set_header Connection \"\" %s",
			u.Name, a.missingConnectionReason(headersAt), a.ver, a.whereToAdd(headersAt))
	}
	return out
}

// fastcgi is a fastcgi_pass: nginx reuses FastCGI connections only with fastcgi_keep_conn on.
func (a *analyzer) fastcgi(p proxyRef, u *upstreamInfo) Proxy {
	var keepConn *setting
	for lv := p.level; lv != nil && keepConn == nil; lv = lv.parent {
		keepConn = lv.keepConn
	}
	on := keepConn != nil && keepConn.value == "on"
	out := Proxy{File: p.file, Line: p.line, ServerName: p.serverName, Location: p.location, Upstream: u.Name,
		Kind: p.kind, KeepaliveEffective: u.pool() > 0 && on}
	// Only a pool the configuration asks for is worth a warning: nginx's default pool (1.29.7+)
	// simply stays empty, which is safe.
	if u.pool() > 0 && !on && slices.Contains(u.Explicit, "keepalive") {
		from := "nginx's default"
		if keepConn != nil {
			from = "set at " + keepConn.at()
		}
		a.finding(SeverityWarning, p.file, p.line, "upstream %q keeps up to %d idle connections, but fastcgi_keep_conn is off for this location (%s): nginx closes every FastCGI connection, so upstream keep-alive is silently off; add \"fastcgi_keep_conn on;\"",
			u.Name, u.pool(), from)
	}
	return out
}

// missingConnectionReason explains why no Connection header applies, naming the classic
// trap: a level with its own proxy_set_header loses the inherited Connection "".
func (a *analyzer) missingConnectionReason(headersAt *level) string {
	if headersAt == nil {
		return "no proxy_set_header Connection applies to this location"
	}
	for lv := headersAt.parent; lv != nil; lv = lv.parent {
		if lv.headers == nil {
			continue
		}
		if c := connectionHeader(lv); c != nil && a.connectionValue(c.value) == connCleared {
			return fmt.Sprintf("the proxy_set_header directives at %s replace all inherited ones, including Connection %q from %s (nginx inherits proxy_set_header only into blocks that define none)",
				headersAt.headers[0].at(), c.value, c.at())
		}
		break
	}
	return fmt.Sprintf("the proxy_set_header directives in effect here (from %s) do not set Connection", headersAt.headers[0].at())
}

func (a *analyzer) whereToAdd(headersAt *level) string {
	if headersAt == nil {
		return "to the location or server"
	}
	return "next to the proxy_set_header at " + headersAt.headers[0].at()
}

// clientTimeoutFindings notes a client-side keepalive_timeout while pooled upstreams set none
// of their own: the author may have meant the upstream one, which stays at the default. It is
// a warning only when the directive evidently targets the backends (noteClientTimeouts: in a
// location that passes to such an upstream, with a value between 0 and the upstream default),
// else an info.
func (a *analyzer) clientTimeoutFindings() {
	var names []string
	for _, u := range a.order {
		if u.pool() > 0 && !slices.Contains(u.Explicit, "keepalive_timeout") {
			names = append(names, fmt.Sprintf("%q", u.Name))
		}
	}
	if len(names) == 0 {
		return
	}
	def := ngxtime.Format(a.def.UpstreamKeepaliveTimeout)
	for _, s := range a.clientKA {
		if meant := a.meantForBackend[s]; len(meant) > 0 {
			quoted := make([]string, len(meant))
			for i, n := range meant {
				quoted[i] = fmt.Sprintf("%q", n)
			}
			a.finding(SeverityWarning, s.file, s.line, "keepalive_timeout %s here applies to client connections, not to backends, yet it sits in a location that proxies to upstream %s, which %s no keepalive_timeout of its own and keeps idle backend connections for nginx's default %s; "+
				"a client timeout shorter than that next to the proxying directive looks meant for the backends: set keepalive_timeout inside the upstream block (or move this one to the server level if it is for clients)",
				s.value, shortList(quoted), pluralVerb(len(meant)), def)
			continue
		}
		a.finding(SeverityInfo, s.file, s.line, "keepalive_timeout %s here applies to client connections, not to backends; upstream %s %s no keepalive_timeout of its own and keeps idle backend connections for nginx's default %s. If this value was meant for the backends, set keepalive_timeout inside the upstream block "+
			"(this is a warning only when the directive sits in a location that proxies to such an upstream, with a value between 0 and %s)",
			s.value, shortList(names), pluralVerb(len(names)), def, def)
	}
}

// shortList joins names, naming at most three.
func shortList(names []string) string {
	if len(names) > 3 {
		return strings.Join(names[:3], ", ") + fmt.Sprintf(" and %d more", len(names)-3)
	}
	return strings.Join(names, ", ")
}

func pluralVerb(n int) string {
	if n == 1 {
		return "sets"
	}
	return "set"
}
