package nginxconf

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"syscall"

	"github.com/tufanbarisyildirim/gonginx/config"
	"github.com/tufanbarisyildirim/gonginx/parser"
)

// file is one configuration file that passed the guard.
type file struct {
	name  string         // as shown in results and errors; "" for inline content
	tree  *config.Config // gonginx's tree of the whole text
	stmts []stmt         // the guard's records, in source order (file.children pairs them with tree)
	// includeSites are the include directives in source order; included holds the files
	// each names, by its record; nil until an include resolves to files.
	includeSites []includeSite
	included     map[int][]*file
	// deepest is the block nesting of this file including what its includes add;
	// expanded is the bytes nginx reads for it, counting an included file once per include.
	deepest  int
	expanded int64
}

// loader reads files inside an include root, within the limits, and parses each once.
type loader struct {
	opts      Options
	base      string // directory relative include paths start from (nginx's conf prefix)
	shown     string // base as the caller wrote it, so reported paths look like theirs
	root      string // absolute, cleaned include root; "" when includes are not allowed
	rootShown string // root as the caller would write it, for messages
	rootReal  string // root with symlinks resolved
	files     map[string]*file
	bytes     int64 // distinct bytes read
	// skipped are the findings about includes not read here (see unreadable), in load order.
	skipped []Finding
}

func newLoader(opts Options, base, shown, root string) (*loader, error) {
	l := &loader{opts: opts.withDefaults(), base: base, shown: shown, files: map[string]*file{}}
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
	l.rootShown = root
	if opts.IncludeRoot == "" {
		l.rootShown = l.display(abs)
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
	f, err := l.parse(name, data)
	if err != nil {
		return nil, err
	}
	if err := l.resolveIncludes(f, []string{resolved}); err != nil {
		return nil, err
	}
	return f, nil
}

// parse checks data with the guard, then lets gonginx build the tree of the text as given.
func (l *loader) parse(name, data string) (f *file, err error) {
	c, err := guardFile(name, data, l.opts.MaxNesting)
	if err != nil {
		return nil, err
	}
	defer func() {
		if r := recover(); r != nil {
			f, err = nil, errAt(name, 0, "internal error while parsing (please report this as a bug): %v", r)
		}
	}()
	tree, err := parser.NewStringParser(data, parser.WithSkipValidDirectivesErr(), parser.WithSkipComments()).Parse()
	if err != nil {
		return nil, errAt(name, 0, "internal error: gonginx rejected the configuration after it passed the guard (please report this as a bug): %v", err)
	}
	return &file{name: name, tree: tree, stmts: c.stmts, includeSites: c.includes, deepest: c.maxDepth, expanded: int64(len(data))}, nil
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
		if f.included == nil {
			f.included = map[int][]*file{}
		}
		f.included[site.stmt] = append(f.included[site.stmt], child)
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
		return nil, l.unreadable(from, line, fmt.Sprintf("include %q: includes need an include root (set include_root) when the configuration is given as content", pattern))
	}
	p := filepath.Clean(pattern)
	if !filepath.IsAbs(p) {
		p = filepath.Join(l.base, p)
	}
	if !within(p, l.root) && !within(p, l.rootReal) {
		return nil, l.unreadable(from, line, fmt.Sprintf("include %q points outside the include root %s, and files outside it are never read", pattern, l.rootShown))
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
		if len(paths) == 0 {
			l.matchedNothing(from, line, pattern)
			return nil, nil
		}
	}
	targets := make([]includeTarget, 0, len(paths))
	for _, p := range paths {
		shown := l.display(p)
		resolved, err := filepath.EvalSymlinks(p)
		var unreadable string
		switch {
		case errors.Is(err, fs.ErrNotExist):
			unreadable = fmt.Sprintf("include %q: %s: no such file or directory on this machine", pattern, shown)
		case err != nil:
			return nil, errAt(from, line, "include %q: %s: %s", pattern, shown, pathErrReason(err))
		case !within(resolved, l.rootReal):
			unreadable = fmt.Sprintf("include %q: %s resolves (through a symbolic link) outside the include root %s, and files outside it are never read", pattern, shown, l.rootShown)
		default:
			targets = append(targets, includeTarget{shown: shown, real: resolved})
			continue
		}
		if err := l.unreadable(from, line, unreadable); err != nil {
			return nil, err
		}
	}
	return targets, nil
}

// unreadable handles an include that cannot be read here (outside the include root, missing
// on this machine, or in content without a root): with StrictIncludes it is an error, as it
// would be for nginx; otherwise it is skipped unread, with a warning at the include, so that
// a configuration checked away from its server (mime.types, snippets) is still analysed.
func (l *loader) unreadable(from string, line int, msg string) error {
	if l.opts.StrictIncludes {
		return errAt(from, line, "%s", msg)
	}
	l.skipped = append(l.skipped, Finding{Severity: SeverityWarning, File: from, Line: line, Unread: true,
		Message: msg + "; it was skipped unread, so upstreams, servers or locations it may define are not analysed (set strict_includes = true to make this an error)"})
	return nil
}

// matchedNothing notes a wildcard include that matches no file: nginx accepts it and reads
// nothing, as the analysis does, so it is only an info finding, never an error.
func (l *loader) matchedNothing(from string, line int, pattern string) {
	l.skipped = append(l.skipped, Finding{Severity: SeverityInfo, File: from, Line: line,
		Message: fmt.Sprintf("include %q matches no file here; nginx accepts that and reads nothing, and so does the analysis (if the files exist where nginx runs, analyse a copy of them)", pattern)})
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
	f, err := l.parse(t.shown, data)
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
