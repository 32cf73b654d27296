package nginxconf

import (
	"strconv"
	"strings"
)

// maxTokenBytes mirrors NGX_CONF_BUFFER: nginx refuses a single parameter longer than its
// 4 KiB read buffer ("too long parameter"). Lua block bodies are exempt, as in lua-nginx-module.
const maxTokenBytes = 4096

// scanner follows ngx_conf_read_token (src/core/ngx_conf_file.c) byte for byte, so the
// statements it sees are the ones nginx sees; guardFile builds on it.
type scanner struct {
	src  string
	pos  int
	line int
	file string
	args []token
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

func isLuaBlock(name string) bool { return strings.HasSuffix(name, luaSuffix) }

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
				if err := s.checkComment(); err != nil {
					return 0, err
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
