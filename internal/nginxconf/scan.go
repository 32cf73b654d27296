package nginxconf

import (
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// maxTokenBytes mirrors NGX_CONF_BUFFER: nginx refuses a single parameter longer than its
// 4 KiB read buffer ("too long parameter"). Lua block bodies are exempt, as in lua-nginx-module.
const maxTokenBytes = 4096

// Markers in the canonical text handed to gonginx. Both are control characters, which the
// canonical form never emits as part of a real token, so they cannot collide with config text.
const (
	// placeholderPrefix starts a token that stands for entry N of the file's value table.
	placeholderPrefix = "\x01"
	// blockMarker is a directive emitted as the first statement of every non-Lua block, on
	// the block's first line: gonginx records a block's line as the line of its closing brace.
	blockMarker = "\x02"
	// bodyBlock wraps each elided block body in the chunk that holds it.
	bodyBlock = "\x03"
)

// elideDepth: the bodies of blocks opened at a nesting depth below this are written into
// chunks of their own, which gonginx parses only when the analysis opens the block. The
// tree of a whole 5 MB file is then never in memory at once: the skeleton holds the
// top-level statements, the http chunk the upstream and server headers, and the upstream
// and server bodies are parsed, read and dropped a group at a time.
const elideDepth = 2

// groupBytes is about how much canonical text of consecutive sibling bodies one chunk
// holds, each body wrapped in a bodyBlock: one gonginx parse per body would cost more
// (gonginx allocates a 4 KiB read buffer per parse) than the bodies themselves.
const groupBytes = 64 << 10

// scanned is one file after the pre-scan: structurally valid, in canonical form.
type scanned struct {
	// chunks[0] is the file's top level; an elided block's marker names the chunk holding
	// its body and the body's index among that chunk's bodyBlocks.
	chunks   []chunk
	values   []string      // tokens gonginx could misread, referenced by placeholders; copies, so the source can be freed
	includes []includeSite // in the order gonginx's tree lists them
	maxDepth int           // deepest block nesting in this file
}

// chunk is canonical text for one gonginx parse, line-for-line with the source from line on.
type chunk struct {
	text       string
	line       int // the source line gonginx calls line 1
	statements int // statements emitted, markers included, for the cross-check
}

// includeSite is an include directive: its argument is always the placeholder key, so the
// loader and the analysis find its files however often the chunk holding it is parsed.
type includeSite struct {
	key, pattern string
	line, depth  int
	stmt         int // the guard's record of the include (guardFile)
}

// chunkWriter builds one chunk.
type chunkWriter struct {
	id         int
	text       strings.Builder
	emit       int // current line of the output
	statements int
	bodies     int          // bodyBlocks written into this chunk
	group      *chunkWriter // the chunk that takes the bodies of this chunk's elided blocks
}

// openBlock is a block being read: where it started, what it is, and what gonginx's
// wrappers will do with it (an http block lists its server blocks after everything else).
type openBlock struct {
	line       int
	name       string
	elided     bool
	sites      int      // len(includes) when the block opened
	serverRuns [][2]int // http: include sites inside its direct server blocks
	headerSeen bool     // a proxy_set_header was handed to gonginx
}

// scanner follows ngx_conf_read_token (src/core/ngx_conf_file.c) byte for byte, so the
// statements it sees are the ones nginx sees. gonginx's own lexer differs (backslash
// escapes, "}" inside words, backquotes, "\\" in quotes, Lua bodies, line numbers), so
// gonginx only ever reads the canonical text this scanner writes.
type scanner struct {
	src      string
	pos      int
	line     int
	file     string
	maxDepth int

	args   []token
	out    scanned
	writer *chunkWriter   // the chunk being written
	stack  []*chunkWriter // its enclosing chunks
	// lastPlaceholder is the last placeholder written: an include's key.
	lastPlaceholder string
	// topHeaderSeen is headerSeen of the file's top level.
	topHeaderSeen bool
	// included: the file's top level is the body of whatever block includes it.
	included bool
	// guard: also reject what gonginx would read differently (guardFile).
	guard bool
}

type token struct {
	val  string
	line int
	// start and end delimit the word in the source, quotes included: the text gonginx reads.
	start, end int
}

type stmtEnd byte

const (
	endEOF   stmtEnd = 0
	endSemi  stmtEnd = ';'
	endBlock stmtEnd = '{'
	endClose stmtEnd = '}'
)

// scanFile pre-scans src and returns its canonical form, or an *Error naming file:line.
// included says src is read where an include names it, so its top-level statements may be
// the body of any block (see wordsRead).
func scanFile(file, src string, maxDepth int, included bool) (*scanned, error) {
	if i := strings.IndexByte(src, 0); i >= 0 {
		return nil, errAt(file, 1+strings.Count(src[:i], "\n"), "NUL byte in configuration text")
	}
	s := &scanner{src: src, line: 1, file: file, maxDepth: maxDepth, included: included}
	s.writer = s.newChunk(1)
	if err := s.run(); err != nil {
		return nil, err
	}
	s.finishChunk(s.writer)
	return &s.out, nil
}

// newChunk starts a chunk whose text begins at source line.
func (s *scanner) newChunk(line int) *chunkWriter {
	w := &chunkWriter{id: len(s.out.chunks), emit: line}
	s.out.chunks = append(s.out.chunks, chunk{line: line})
	return w
}

// finishChunk stores a chunk's text, and that of the group holding its blocks' bodies.
func (s *scanner) finishChunk(w *chunkWriter) {
	s.out.chunks[w.id].text, s.out.chunks[w.id].statements = w.text.String(), w.statements
	if w.group != nil {
		s.finishChunk(w.group)
		w.group = nil
	}
}

// openBody writes the marker of an elided block (in the chunk being written) and makes
// the chunk that takes the body, wrapped in a bodyBlock, the one being written.
func (s *scanner) openBody() {
	parent := s.writer
	if parent.group == nil || parent.group.text.Len() >= groupBytes {
		if parent.group != nil {
			s.finishChunk(parent.group)
		}
		parent.group = s.newChunk(s.line)
		parent.group.text.Grow(groupBytes + groupBytes/4) // most groups end just past groupBytes
	}
	g := parent.group
	s.emitRaw(blockMarker + " " + strconv.Itoa(g.id) + " " + strconv.Itoa(g.bodies) + ";")
	parent.statements++
	s.stack = append(s.stack, parent)
	s.writer = g
	s.emitAt(s.line, bodyBlock+" {")
	g.statements++
	g.bodies++
}

// closeBody ends an elided block's body and returns to the enclosing chunk.
func (s *scanner) closeBody() {
	s.emitAt(s.line, "}")
	n := len(s.stack)
	s.writer, s.stack = s.stack[n-1], s.stack[:n-1]
}

// closeBlock ends the innermost open block. For include sites it mirrors gonginx's http
// wrapper, which lists an http block's server blocks after its other statements.
func (s *scanner) closeBlock(open []openBlock) []openBlock {
	b := open[len(open)-1]
	open = open[:len(open)-1]
	if b.elided {
		s.closeBody()
	}
	s.emitAt(s.line, "}")
	if len(open) > 0 && open[len(open)-1].name == "http" && b.name == "server" && b.sites < len(s.out.includes) {
		parent := &open[len(open)-1]
		parent.serverRuns = append(parent.serverRuns, [2]int{b.sites, len(s.out.includes)})
	}
	if b.name == "http" && len(b.serverRuns) > 0 {
		sites := s.out.includes[b.sites:]
		inServer := make([]bool, len(sites))
		for _, r := range b.serverRuns {
			for i := r[0]; i < r[1]; i++ {
				inServer[i-b.sites] = true
			}
		}
		ordered := make([]includeSite, 0, len(sites))
		for _, last := range []bool{false, true} {
			for i, site := range sites {
				if inServer[i] == last {
					ordered = append(ordered, site)
				}
			}
		}
		copy(sites, ordered)
	}
	return open
}

// run reads statements until EOF, tracking block nesting.
func (s *scanner) run() error {
	var open []openBlock
	for {
		end, err := s.readStatement()
		if err != nil {
			return err
		}
		switch end {
		case endEOF:
			if len(open) > 0 {
				return errAt(s.file, s.line, "unexpected end of file: the block opened at line %d is not closed (missing \"}\")", open[len(open)-1].line)
			}
			return nil
		case endClose:
			if len(open) == 0 {
				return errAt(s.file, s.line, "unexpected \"}\": no block is open here")
			}
			open = s.closeBlock(open)
		case endSemi:
			if err := s.checkShape(false); err != nil {
				return err
			}
			words := len(s.args)
			if !keepUnread {
				words = s.wordsRead(open)
			}
			if words == 0 {
				continue
			}
			s.emitStatement(s.args[:words], ";")
			if s.args[0].val == "include" {
				s.out.includes = append(s.out.includes, includeSite{
					key: s.lastPlaceholder, pattern: s.args[1].val, line: s.args[0].line, depth: len(open),
				})
			}
		case endBlock:
			if err := s.checkShape(true); err != nil {
				return err
			}
			if len(open) > 0 && open[len(open)-1].name == "upstream" && s.args[0].val == "server" {
				// nginx: "server" in upstream is not a block; gonginx would drop its contents.
				return errAt(s.file, s.args[0].line, "\"server\" inside upstream takes an address and ends with \";\", not a block")
			}
			first := s.args[0].line
			if len(open)+1 > s.maxDepth {
				return errAt(s.file, first, "blocks nested deeper than %d levels", s.maxDepth)
			}
			if len(open)+1 > s.out.maxDepth {
				s.out.maxDepth = len(open) + 1
			}
			s.emitStatement(s.args, "{")
			lua := isLuaBlock(s.args[0].val)
			elided := !lua && len(open) < elideDepth
			if !elided {
				s.emitRaw(blockMarker + ";")
				s.writer.statements++
			}
			if lua {
				// The body is Lua, not nginx syntax: skip it; gonginx sees an empty block.
				if err := s.skipLua(first); err != nil {
					return err
				}
				s.emitAt(s.line, "}")
				continue
			}
			open = append(open, openBlock{line: first, name: s.args[0].val, elided: elided, sites: len(s.out.includes)})
			if elided {
				s.openBody()
			}
		}
	}
}

// checkShape rejects, as nginx does, the statements whose shape gonginx's wrappers would
// otherwise refuse without a line number.
func (s *scanner) checkShape(block bool) error {
	name, n, line := s.args[0].val, len(s.args)-1, s.args[0].line
	switch {
	case name == "include" && block:
		return errAt(s.file, line, "\"include\" cannot open a block (is a \";\" missing?)")
	case name == "include" && n != 1:
		return errAt(s.file, line, "invalid number of arguments in \"include\" directive: want 1 file name, got %d", n)
	case name == "location" && block && (n < 1 || n > 2):
		return errAt(s.file, line, "invalid number of arguments in \"location\" directive: want an optional modifier and a URI, got %d arguments", n)
	case name == "upstream" && block && n != 1:
		return errAt(s.file, line, "invalid number of arguments in \"upstream\" directive: want 1 name, got %d", n)
	}
	return nil
}

// keepUnread hands gonginx every statement; tests set it to compare the analysis with and
// without skipping the statements it never reads.
var keepUnread = false

// wordsRead is how many words of a simple statement gonginx is handed: only what the analysis
// reads, since gonginx's lexer is most of an analysis's cost (the pre-scan has already checked
// every word against nginx's syntax). Upstream bodies are kept whole but for the parameters of
// "server", map bodies whole, and so is an included file's top level, which may be either.
// Elsewhere only readDirectives, and of proxy_set_header the first of a block (any
// proxy_set_header stops inheritance, and findings point at the first), the Connection ones
// and any with a wrong argument count, which the analysis reports.
func (s *scanner) wordsRead(open []openBlock) int {
	name, all := s.args[0].val, len(s.args)
	if s.included && len(open) == 0 {
		return all // an upstream's or a map's body, for all the scan knows
	}
	for i := len(open) - 1; i >= 0; i-- {
		switch {
		case open[i].name == "map":
			return all
		case open[i].name == "upstream" && name == "server" && i == len(open)-1:
			return min(all, 2)
		case open[i].name == "upstream":
			return all
		}
	}
	if name != "proxy_set_header" {
		if slices.Contains(readDirectives, name) {
			return all
		}
		return 0
	}
	seen := &s.topHeaderSeen
	if len(open) > 0 {
		seen = &open[len(open)-1].headerSeen
	}
	if !*seen || all != 3 || strings.EqualFold(s.args[1].val, "Connection") {
		*seen = true
		return all
	}
	return 0
}

func isLuaBlock(name string) bool { return strings.HasSuffix(name, "_by_lua_block") }

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

// readStatement collects the words of one statement into s.args and reports how it ended.
// It is ngx_conf_read_token with nginx's error messages; see that function for the states.
func (s *scanner) readStatement() (stmtEnd, error) {
	s.args = s.args[:0]
	var (
		lastSpace                   = true
		sharpComment, quoted        bool
		sQuoted, dQuoted, needSpace bool
		variable                    bool
		start, startLine            int
	)
	for {
		if s.pos >= len(s.src) {
			if sQuoted || dQuoted {
				return 0, errAt(s.file, startLine, "unterminated quoted string (no closing quote before the end of the file)")
			}
			if len(s.args) > 0 || !lastSpace {
				return 0, errAt(s.file, s.line, "unexpected end of file, expecting \";\" or \"}\"")
			}
			return endEOF, nil
		}
		if !lastSpace && s.pos-start > maxTokenBytes && !needSpace {
			if sQuoted || dQuoted {
				return 0, errAt(s.file, startLine, "too long parameter (over %d bytes), probably a missing closing quote", maxTokenBytes)
			}
			return 0, errAt(s.file, startLine, "too long parameter (over %d bytes)", maxTokenBytes)
		}
		ch := s.src[s.pos]
		s.pos++
		if ch == '\n' {
			s.line++
			sharpComment = false
		}
		if sharpComment {
			continue
		}
		if quoted {
			quoted = false
			continue
		}
		if needSpace {
			switch {
			case isSpace(ch):
				lastSpace, needSpace = true, false
				continue
			case ch == ';':
				return endSemi, nil
			case ch == '{':
				return endBlock, nil
			case ch == ')':
				lastSpace, needSpace = true, false
			default:
				return 0, errAt(s.file, s.line, "unexpected %s after a quoted string (a space, \";\" or \"{\" must follow)", quoteByte(ch))
			}
		}
		if lastSpace {
			start, startLine = s.pos-1, s.line
			if isSpace(ch) {
				continue
			}
			switch ch {
			case ';', '{':
				if len(s.args) == 0 {
					return 0, errAt(s.file, s.line, "unexpected %s: no directive name before it", quoteByte(ch))
				}
				if ch == '{' {
					return endBlock, nil
				}
				return endSemi, nil
			case '}':
				if len(s.args) != 0 {
					return 0, errAt(s.file, s.line, "unexpected \"}\": the directive %q before it is missing its \";\"", clip(s.args[0].val))
				}
				return endClose, nil
			case '#':
				if s.guard {
					if err := s.checkComment(); err != nil {
						return 0, err
					}
				}
				sharpComment = true
				continue
			case '\\':
				quoted, lastSpace = true, false
				continue
			case '"':
				start++
				dQuoted, lastSpace = true, false
				continue
			case '\'':
				start++
				sQuoted, lastSpace = true, false
				continue
			case '$':
				variable, lastSpace = true, false
				continue
			default:
				lastSpace = false
			}
			continue
		}
		if ch == '{' && variable {
			continue
		}
		variable = false
		if ch == '\\' {
			quoted = true
			continue
		}
		if ch == '$' {
			variable = true
			continue
		}
		found, quote := false, 0
		switch {
		case dQuoted:
			if ch == '"' {
				dQuoted, needSpace, found, quote = false, true, true, 1
			}
		case sQuoted:
			if ch == '\'' {
				sQuoted, needSpace, found, quote = false, true, true, 1
			}
		case isSpace(ch) || ch == ';' || ch == '{':
			lastSpace, found = true, true
		}
		if !found {
			continue
		}
		s.args = append(s.args, token{val: unescape(s.src[start : s.pos-1]), line: startLine, start: start - quote, end: s.pos - 1 + quote})
		if ch == ';' {
			return endSemi, nil
		}
		if ch == '{' {
			return endBlock, nil
		}
	}
}

// unescape applies nginx's word unescaping: \" \' \\ \t \r \n; other backslashes stay.
// Without a backslash the word is a substring of the source: no copy.
func unescape(raw string) string {
	if strings.IndexByte(raw, '\\') < 0 {
		return raw
	}
	out := make([]byte, 0, len(raw))
	for i := 0; i < len(raw); i++ {
		if raw[i] == '\\' && i+1 < len(raw) {
			switch raw[i+1] {
			case '"', '\'', '\\':
				i++
			case 't':
				out = append(out, '\t')
				i++
				continue
			case 'r':
				out = append(out, '\r')
				i++
				continue
			case 'n':
				out = append(out, '\n')
				i++
				continue
			}
		}
		out = append(out, raw[i])
	}
	return string(out)
}

// skipLua consumes a *_by_lua_block body up to its closing brace, the way lua-nginx-module
// reads it: Lua strings, long brackets and comments may hold braces that do not count.
func (s *scanner) skipLua(openLine int) error {
	depth := 0
	for s.pos < len(s.src) {
		ch := s.src[s.pos]
		switch {
		case ch == '\n':
			s.line++
			s.pos++
		case ch == '{':
			depth++
			s.pos++
		case ch == '}':
			s.pos++
			if depth == 0 {
				return nil
			}
			depth--
		case ch == '"' || ch == '\'':
			if err := s.skipLuaString(ch); err != nil {
				return err
			}
		case ch == '[' && luaLongBracket(s.src[s.pos:]) >= 0:
			if err := s.skipLuaLong(luaLongBracket(s.src[s.pos:])); err != nil {
				return err
			}
		case ch == '-' && s.pos+1 < len(s.src) && s.src[s.pos+1] == '-':
			s.pos += 2
			if s.pos < len(s.src) && s.src[s.pos] == '[' && luaLongBracket(s.src[s.pos:]) >= 0 {
				if err := s.skipLuaLong(luaLongBracket(s.src[s.pos:])); err != nil {
					return err
				}
				continue
			}
			for s.pos < len(s.src) && s.src[s.pos] != '\n' {
				s.pos++
			}
		default:
			s.pos++
		}
	}
	return errAt(s.file, openLine, "unexpected end of file: the Lua block opened at line %d is not closed (missing \"}\")", openLine)
}

func (s *scanner) skipLuaString(quote byte) error {
	startLine := s.line
	s.pos++
	for s.pos < len(s.src) {
		ch := s.src[s.pos]
		s.pos++
		switch ch {
		case '\\':
			if s.pos < len(s.src) {
				if s.src[s.pos] == '\n' {
					s.line++
				}
				s.pos++
			}
		case '\n':
			return errAt(s.file, startLine, "unterminated Lua string in Lua block")
		case quote:
			return nil
		}
	}
	return errAt(s.file, startLine, "unterminated Lua string in Lua block")
}

// luaLongBracket returns the level of a Lua long bracket "[==[" at the start of b, or -1.
func luaLongBracket(b string) int {
	level := 0
	for i := 1; i < len(b); i++ {
		switch b[i] {
		case '=':
			level++
		case '[':
			return level
		default:
			return -1
		}
	}
	return -1
}

func (s *scanner) skipLuaLong(level int) error {
	startLine := s.line
	s.pos += level + 2
	closing := "]" + strings.Repeat("=", level) + "]"
	for s.pos < len(s.src) {
		if s.src[s.pos] == '\n' {
			s.line++
		}
		if s.src[s.pos] == ']' && strings.HasPrefix(s.src[s.pos:], closing) {
			s.pos += len(closing)
			return nil
		}
		s.pos++
	}
	return errAt(s.file, startLine, "unterminated Lua long string or comment in Lua block")
}

// emitStatement writes s.args on the statement's first line, followed by end. Spaces only
// separate words (and precede "{", which would join a word ending in "$"): each
// whitespace run costs gonginx an allocation.
func (s *scanner) emitStatement(words []token, end string) {
	s.moveTo(words[0].line)
	include := words[0].val == "include"
	for i, t := range words {
		if i > 0 {
			s.writer.text.WriteByte(' ')
		}
		if include && i > 0 {
			s.emitPlaceholder(t.val)
			continue
		}
		s.emitToken(t.val)
	}
	if end == "{" {
		s.writer.text.WriteByte(' ')
	}
	s.writer.text.WriteString(end)
	s.writer.statements++
}

func (s *scanner) emitAt(line int, text string) {
	s.moveTo(line)
	s.emitRaw(text)
}

func (s *scanner) emitRaw(text string) { s.writer.text.WriteString(text) }

func (s *scanner) moveTo(line int) {
	w := s.writer
	for w.emit < line {
		w.text.WriteByte('\n')
		w.emit++
	}
}

// emitToken writes v as a bare word when gonginx reads that word back unchanged, else
// as a placeholder for the value table. The table keeps a copy: a substring would keep the
// whole source text alive for as long as the analysis runs.
func (s *scanner) emitToken(v string) {
	if plainWord(v) {
		s.writer.text.WriteString(v)
		return
	}
	s.emitPlaceholder(v)
}

// emitPlaceholder writes v as a placeholder (remembered in lastPlaceholder).
func (s *scanner) emitPlaceholder(v string) {
	s.lastPlaceholder = placeholderPrefix + strconv.Itoa(len(s.out.values))
	s.writer.text.WriteString(s.lastPlaceholder)
	s.out.values = append(s.out.values, strings.Clone(v))
}

// plainWord: non-empty valid UTF-8 with no whitespace, control, quote, brace, ";" or "#",
// and not ending in "_by_lua_block" (gonginx would switch to its own Lua reader, which
// miscounts braces in Lua strings; as placeholders, Lua blocks reach it as empty blocks).
func plainWord(v string) bool {
	if v == "" || !utf8.ValidString(v) || strings.HasSuffix(v, "_by_lua_block") {
		return false
	}
	for i := 0; i < len(v); i++ {
		switch c := v[i]; {
		case c <= ' ' || c == 0x7f:
			return false
		case c == '"' || c == '\'' || c == '`' || c == '{' || c == '}' || c == ';' || c == '#':
			return false
		}
	}
	return true
}

// quoteByte names a byte for an error message.
func quoteByte(c byte) string {
	if c < ' ' || c >= 0x7f {
		return "byte 0x" + strconv.FormatUint(uint64(c), 16)
	}
	return strconv.Quote(string(c))
}

// clip shortens a name for an error message.
func clip(s string) string {
	if len(s) > 40 {
		return s[:40] + "..."
	}
	return s
}
