package nginxconf

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"syscall"

	"github.com/tufanbarisyildirim/gonginx/config"
	"github.com/tufanbarisyildirim/gonginx/parser"
)

// file is one pre-scanned configuration file.
type file struct {
	name     string             // as shown in results and errors; "" for inline content
	tree     *config.Config     // gonginx's tree of the top-level chunk
	chunks   []chunk            // canonical text; block bodies are parsed when opened
	values   []string           // placeholder table from the pre-scan
	includes map[string][]*file // by include site key; nil until an include resolves to files
	// parsed is the last chunk of block bodies parsed: the analysis opens sibling blocks
	// in order, so it mostly finds the next body there.
	parsed struct {
		id   int
		tree *config.Config
	}
	// ahead holds the chunks after parsed.id being parsed in the background (parseAhead).
	ahead map[int]<-chan parsedChunk
	// includeSites are the include directives in the order gonginx's tree lists them.
	includeSites []includeSite
	// deepest is the block nesting of this file including what its includes add;
	// expanded is the bytes nginx reads for it, counting an included file once per include.
	deepest  int
	expanded int64

	// simple: the file went through guardFile and gonginx read the whole text; stmts are
	// the guard's records and included the files of each include, by record.
	simple   bool
	stmts    []stmt
	included map[int][]*file
}

// value resolves a word from gonginx's tree: placeholders index the pre-scan's table.
func (f *file) value(s string) string {
	if f.simple {
		return word(s)
	}
	if !strings.HasPrefix(s, placeholderPrefix) {
		return s
	}
	i, err := strconv.Atoi(s[len(placeholderPrefix):])
	if err != nil || i < 0 || i >= len(f.values) {
		return s // cannot happen: only the pre-scan writes placeholders
	}
	return f.values[i]
}

// loader reads files inside an include root, within the limits, and parses each once.
type loader struct {
	opts     Options
	base     string // directory relative include paths start from (nginx's conf prefix)
	shown    string // base as the caller wrote it, so reported paths look like theirs
	root     string // absolute, cleaned include root; "" when includes are not allowed
	rootReal string // root with symlinks resolved
	files    map[string]*file
	bytes    int64 // distinct bytes read
	simple   bool  // parse with parseSimple
}

func newLoader(opts Options, base, shown, root string, simple bool) (*loader, error) {
	l := &loader{opts: opts.withDefaults(), base: base, shown: shown, files: map[string]*file{}, simple: simple}
	if root == "" {
		return l, nil
	}
	abs, err := filepath.Abs(root)
	if err != nil {
		return nil, errAt("", 0, "include root %q: %v", root, err)
	}
	resolved, err := filepath.EvalSymlinks(abs)
	if err != nil {
		return nil, errAt("", 0, "include root %q cannot be resolved: %s", root, pathErrReason(err))
	}
	if st, err := os.Stat(resolved); err != nil || !st.IsDir() {
		return nil, errAt("", 0, "include root %q is not a directory", root)
	}
	l.root, l.rootReal = abs, resolved
	if l.base == "" {
		l.base = abs
	}
	return l, nil
}

// loadMain parses the main text and everything it includes; resolved is its real path
// ("" for inline content), so that an include of the main file is reported as a cycle.
func (l *loader) loadMain(name, resolved, data string) (*file, error) {
	if int64(len(data)) > l.opts.MaxFileBytes {
		return nil, errAt(name, 0, "configuration is %d bytes, more than the limit of %d bytes", len(data), l.opts.MaxFileBytes)
	}
	l.bytes = int64(len(data))
	f, err := l.parse(name, data, false)
	if err != nil {
		return nil, err
	}
	if err := l.resolveIncludes(f, []string{resolved}); err != nil {
		return nil, err
	}
	return f, nil
}

// parse pre-scans data, then lets gonginx build the tree of its top level; the bodies of
// the blocks there are parsed when the analysis opens them (file.chunk).
func (l *loader) parse(name, data string, included bool) (*file, error) {
	if l.simple {
		return l.parseSimple(name, data)
	}
	sc, err := scanFile(name, data, l.opts.MaxNesting, included)
	if err != nil {
		return nil, err
	}
	f := &file{name: name, chunks: sc.chunks, values: sc.values, includeSites: sc.includes, deepest: sc.maxDepth, expanded: int64(len(data))}
	if f.tree, err = f.chunk(0); err != nil {
		return nil, err
	}
	return f, nil
}

// chunk lets gonginx build the tree of one chunk of the canonical text.
func (f *file) chunk(id int) (tree *config.Config, err error) {
	defer func() {
		if r := recover(); r != nil {
			tree, err = nil, errAt(f.name, 0, "internal error while parsing (please report this as a bug): %v", r)
		}
	}()
	c := f.chunks[id]
	tree, err = parser.NewStringParser(c.text, parser.WithSkipValidDirectivesErr(), parser.WithSkipComments()).Parse()
	if err != nil {
		// The canonical text is structurally valid, so this is gonginx disagreeing with nginx.
		return nil, errAt(f.name, 0, "gonginx rejected the configuration after it passed nginx's syntax rules: %v", err)
	}
	if n := countStatements(tree.GetDirectives()); n != c.statements {
		return nil, errAt(f.name, 0, "internal error: gonginx read %d statements where nginx reads %d (please report this as a bug)", n, c.statements)
	}
	return tree, nil
}

// parsedChunk is the outcome of one chunk's parse.
type parsedChunk struct {
	tree *config.Config
	err  error
}

// nextChunk returns chunk id's tree and starts parsing the chunks after it. gonginx's parse is
// two thirds of an analysis and the walk opens bodies in order, so on a machine with more than
// one core the parse of the next groups overlaps the walk of this one (make bench: 10,000
// upstreams in about 0.6× the time). At most parseAhead trees wait in memory.
func (f *file) nextChunk(id int) (*config.Config, error) {
	result, ok := f.ahead[id]
	for pending := range f.ahead {
		if pending <= id {
			delete(f.ahead, pending) // consumed, or skipped by the walk
		}
	}
	f.parseAhead(id + 1)
	if !ok {
		return f.chunk(id)
	}
	r := <-result
	return r.tree, r.err
}

// parseAhead is how many chunks are parsed in the background at once: one per spare core.
var parseAhead = max(runtime.GOMAXPROCS(0)-1, 1)

func (f *file) parseAhead(from int) {
	if f.ahead == nil {
		f.ahead = map[int]<-chan parsedChunk{}
	}
	for id := from; id < from+parseAhead && id < len(f.chunks); id++ {
		if _, started := f.ahead[id]; started {
			continue
		}
		result := make(chan parsedChunk, 1) // the walk may never collect it
		f.ahead[id] = result
		go func() {
			tree, err := f.chunk(id)
			result <- parsedChunk{tree: tree, err: err}
		}()
	}
}

// body returns the statements of an elided block body (the marker names its chunk and
// index) and the line offset of that chunk.
func (f *file) body(chunkID, index string) ([]config.IDirective, int, error) {
	id, err1 := strconv.Atoi(chunkID)
	k, err2 := strconv.Atoi(index)
	if err1 != nil || err2 != nil || id <= 0 || id >= len(f.chunks) || k < 0 {
		return nil, 0, errAt(f.name, 0, "internal error: block body %s/%s not found (please report this as a bug)", chunkID, index)
	}
	if f.parsed.tree == nil || f.parsed.id != id {
		tree, err := f.nextChunk(id)
		if err != nil {
			return nil, 0, err
		}
		f.parsed.id, f.parsed.tree = id, tree
	}
	bodies := f.parsed.tree.GetDirectives()
	if k >= len(bodies) || bodies[k].GetName() != bodyBlock || bodies[k].GetBlock() == nil {
		return nil, 0, errAt(f.name, 0, "internal error: block body %s/%s not found (please report this as a bug)", chunkID, index)
	}
	return bodies[k].GetBlock().GetDirectives(), f.chunks[id].line - 1, nil
}

// countStatements counts gonginx's statements, to compare with the pre-scan.
func countStatements(ds []config.IDirective) int {
	n := 0
	for _, d := range ds {
		n++
		if b := d.GetBlock(); b != nil {
			n += countStatements(b.GetDirectives())
		}
	}
	return n
}

// resolveIncludes loads the files named by f's include directives, depth first; chain
// holds the files being loaded, outermost first, for cycle reports.
func (l *loader) resolveIncludes(f *file, chain []string) error {
	for _, site := range f.includeSites {
		if err := l.include(f, site, chain); err != nil {
			return err
		}
	}
	return nil
}

func (l *loader) include(f *file, site includeSite, chain []string) error {
	line, pattern, depth := site.line, site.pattern, site.depth
	targets, err := l.includeTargets(f.name, line, pattern)
	if err != nil {
		return err
	}
	for _, t := range targets {
		child, err := l.loadIncluded(f.name, line, pattern, t, chain)
		if err != nil {
			return err
		}
		if f.simple {
			if f.included == nil {
				f.included = map[int][]*file{}
			}
			f.included[site.stmt] = append(f.included[site.stmt], child)
		} else {
			if f.includes == nil {
				f.includes = map[string][]*file{}
			}
			f.includes[site.key] = append(f.includes[site.key], child)
		}
		if d := depth + child.deepest; d > f.deepest {
			f.deepest = d
			if d > l.opts.MaxNesting {
				return errAt(f.name, line, "include %q: blocks nested deeper than %d levels across included files", pattern, l.opts.MaxNesting)
			}
		}
		f.expanded += child.expanded
		if f.expanded > l.opts.MaxTotalBytes {
			return errAt(f.name, line, "include %q: the configuration with its includes exceeds %d bytes in total", pattern, l.opts.MaxTotalBytes)
		}
	}
	return nil
}

// includeTarget is one file an include directive names.
type includeTarget struct{ shown, real string }

// includeTargets resolves an include argument the way nginx does (relative to the main
// file's directory, globs sorted, hidden files skipped by wildcards), confined to the root.
func (l *loader) includeTargets(from string, line int, pattern string) ([]includeTarget, error) {
	if pattern == "" {
		return nil, errAt(from, line, "include with an empty file name")
	}
	if l.root == "" {
		return nil, errAt(from, line, "include %q: includes need an include root (set include_root) when the configuration is given as content", pattern)
	}
	p := filepath.Clean(pattern)
	if !filepath.IsAbs(p) {
		p = filepath.Join(l.base, p)
	}
	if !within(p, l.root) && !within(p, l.rootReal) {
		return nil, errAt(from, line, "include %q points outside the include root %s", pattern, l.root)
	}
	paths := []string{p}
	if hasGlobMeta(pattern) {
		matches, err := filepath.Glob(p)
		if err != nil {
			return nil, errAt(from, line, "include %q: invalid wildcard pattern", pattern)
		}
		sort.Strings(matches)
		paths = matches[:0]
		for _, m := range matches {
			if !hiddenByGlob(p, m) {
				paths = append(paths, m)
			}
		}
	}
	targets := make([]includeTarget, 0, len(paths))
	for _, p := range paths {
		shown := l.display(p)
		resolved, err := filepath.EvalSymlinks(p)
		if err != nil {
			return nil, errAt(from, line, "include %q: %s: %s", pattern, shown, pathErrReason(err))
		}
		if !within(resolved, l.rootReal) {
			return nil, errAt(from, line, "include %q: %s resolves (through a symbolic link) outside the include root %s", pattern, shown, l.root)
		}
		targets = append(targets, includeTarget{shown: shown, real: resolved})
	}
	return targets, nil
}

func (l *loader) loadIncluded(from string, line int, pattern string, t includeTarget, chain []string) (*file, error) {
	for i, c := range chain {
		if c == t.real {
			return nil, errAt(from, line, "include %q: include cycle: %s", pattern, strings.Join(append(shownChain(chain[i:]), filepath.Base(t.shown)), " -> "))
		}
	}
	if len(chain) > l.opts.MaxIncludeDepth {
		return nil, errAt(from, line, "include %q: includes nested deeper than %d files", pattern, l.opts.MaxIncludeDepth)
	}
	if f, ok := l.files[t.real]; ok {
		return f, nil
	}
	if len(l.files)+2 > l.opts.MaxFiles { // the main file is not in l.files
		return nil, errAt(from, line, "include %q: more than %d files in the configuration", pattern, l.opts.MaxFiles)
	}
	data, err := readRegular(t.real, l.opts.MaxFileBytes)
	if err != nil {
		return nil, errAt(from, line, "include %q: %s: %v", pattern, t.shown, err)
	}
	l.bytes += int64(len(data))
	if l.bytes > l.opts.MaxTotalBytes {
		return nil, errAt(from, line, "include %q: the configuration files exceed %d bytes in total", pattern, l.opts.MaxTotalBytes)
	}
	f, err := l.parse(t.shown, data, true)
	if err != nil {
		return nil, err
	}
	l.files[t.real] = f
	if err := l.resolveIncludes(f, append(chain, t.real)); err != nil {
		return nil, err
	}
	return f, nil
}

// display writes an included file's path the way the caller wrote the main path or root.
func (l *loader) display(p string) string {
	rel, err := filepath.Rel(l.base, p)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return p
	}
	return filepath.Join(l.shown, rel)
}

// shownChain keeps cycle reports short: base names are enough to follow the loop.
func shownChain(chain []string) []string {
	out := make([]string, len(chain))
	for i, c := range chain {
		out[i] = filepath.Base(c)
		if c == "" {
			out[i] = "(content)"
		}
	}
	return out
}

// readRegular reads a regular file of at most max bytes. It opens without blocking (a
// FIFO swapped in after the check cannot hang us) and checks the opened file itself. The
// text is read straight into a string: a []byte converted afterwards would be a second copy.
func readRegular(path string, limit int64) (string, error) {
	st, err := os.Stat(path)
	if err != nil {
		return "", errors.New(pathErrReason(err))
	}
	if !st.Mode().IsRegular() {
		return "", fmt.Errorf("not a regular file (%s)", fileKind(st.Mode()))
	}
	fh, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return "", errors.New(pathErrReason(err))
	}
	defer func() { _ = fh.Close() }() // read-only: nothing to flush
	st, err = fh.Stat()
	if err != nil || !st.Mode().IsRegular() {
		return "", errors.New("not a regular file")
	}
	if st.Size() > limit {
		return "", fmt.Errorf("file is %d bytes, more than the limit of %d bytes", st.Size(), limit)
	}
	var data strings.Builder
	data.Grow(int(st.Size()) + 1) // + 1: reading to EOF needs no regrowth
	if _, err := io.Copy(&data, io.LimitReader(fh, limit+1)); err != nil {
		return "", errors.New(pathErrReason(err))
	}
	if int64(data.Len()) > limit {
		return "", fmt.Errorf("file grew beyond the limit of %d bytes while being read", limit)
	}
	return data.String(), nil
}

func fileKind(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "a directory"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case m&fs.ModeCharDevice != 0, m&fs.ModeDevice != 0:
		return "a device"
	case m&fs.ModeSocket != 0:
		return "a socket"
	default:
		return "special file"
	}
}

// pathErrReason names what went wrong without repeating the path (callers name it).
func pathErrReason(err error) string {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return "no such file or directory"
	case errors.Is(err, fs.ErrPermission):
		return "permission denied"
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

func hasGlobMeta(p string) bool { return strings.ContainsAny(p, "*?[") }

// hiddenByGlob: like glob(3), a wildcard does not match a leading dot; a pattern
// component that itself starts with "." may.
func hiddenByGlob(pattern, match string) bool {
	pc := strings.Split(pattern, string(filepath.Separator))
	mc := strings.Split(match, string(filepath.Separator))
	if len(pc) != len(mc) {
		return false
	}
	for i := range pc {
		if strings.HasPrefix(mc[i], ".") && !strings.HasPrefix(pc[i], ".") && hasGlobMeta(pc[i]) {
			return true
		}
	}
	return false
}

// within reports whether p is root or below it (both absolute and clean).
func within(p, root string) bool {
	if root == "" {
		return false
	}
	if p == root {
		return true
	}
	if !strings.HasSuffix(root, string(filepath.Separator)) {
		root += string(filepath.Separator)
	}
	return strings.HasPrefix(p, root)
}
