package nginxconf

import (
	"strings"
	"unicode/utf8"
)

// stmt is the guard's record of one statement, in source order: where it starts, and what
// gonginx's wrappers need to know to list it (see file.children). A block's statements
// follow it; size counts them, nested ones included.
type stmt struct {
	line   int32
	size   int32
	block  bool
	server bool // written "server", unquoted: gonginx's http and upstream wrappers list these last
}

// includeSite is an include directive, for the loader.
type includeSite struct {
	pattern     string
	line, depth int
	stmt        int // the guard's record of the include
}

// checked is one file that passed the guard.
type checked struct {
	stmts    []stmt
	includes []includeSite // in source order
	maxDepth int
}

// guardFile reads src the way nginx does (ngx_conf_read_token, in scanner.readStatement)
// and rejects, with file:line, what nginx rejects and what gonginx would read differently
// from nginx; it never changes the text. It records each statement's first line, which
// gonginx does not keep (it dates a statement by its ";" or closing brace).
func guardFile(file, src string, maxDepth int) (*checked, error) {
	if i := strings.IndexByte(src, 0); i >= 0 {
		// gonginx also reads NUL as the end of the file.
		return nil, errAt(file, 1+strings.Count(src[:i], "\n"), "NUL byte in configuration text")
	}
	s := &scanner{src: src, line: 1, file: file}
	c := &checked{}
	type openBlock struct {
		stmt, line int
		name       string
	}
	var open []openBlock
	for {
		end, err := s.readStatement()
		if err != nil {
			return nil, err
		}
		switch end {
		case endEOF:
			if len(open) > 0 {
				return nil, errAt(file, s.line, "unexpected end of file: the block opened at line %d is not closed (missing \"}\")", open[len(open)-1].line)
			}
			return c, nil
		case endClose:
			if len(open) == 0 {
				return nil, errAt(file, s.line, "unexpected \"}\": no block is open here")
			}
			b := open[len(open)-1]
			open = open[:len(open)-1]
			c.stmts[b.stmt].size = int32(len(c.stmts) - b.stmt - 1)
			continue
		}
		block := end == endBlock
		if err := s.checkShape(block); err != nil {
			return nil, err
		}
		if err := s.checkWords(); err != nil {
			return nil, err
		}
		name, first := s.args[0].val, s.args[0].line
		c.stmts = append(c.stmts, stmt{line: int32(first), block: block, server: s.raw(s.args[0]) == "server"})
		if !block {
			if name == "include" {
				c.includes = append(c.includes, includeSite{stmt: len(c.stmts) - 1, pattern: s.args[1].val, line: first, depth: len(open)})
			}
			continue
		}
		if len(open) > 0 && open[len(open)-1].name == "upstream" && name == "server" {
			// nginx: "server" in upstream is not a block; gonginx would drop its contents.
			return nil, errAt(file, first, "\"server\" inside upstream takes an address and ends with \";\", not a block")
		}
		if len(open)+1 > maxDepth {
			return nil, errAt(file, first, "blocks nested deeper than %d levels", maxDepth)
		}
		c.maxDepth = max(c.maxDepth, len(open)+1)
		lua, err := s.luaBlock()
		if err != nil {
			return nil, err
		}
		if lua {
			if err := s.skipLuaAsGonginx(first); err != nil {
				return nil, err
			}
			continue
		}
		open = append(open, openBlock{stmt: len(c.stmts) - 1, line: first, name: name})
	}
}

// raw is a word as it stands in the source, quotes included: gonginx's value for it.
func (s *scanner) raw(t token) string { return s.src[t.start:t.end] }

// checkWords rejects a statement with a word gonginx would cut at another place than nginx
// does (gonginx ends a word at "}" or at a backslash-escaped space, ";" or "{", and treats
// backquotes as quotes and "\\" before a closing quote as an escaped quote), or one that is
// not UTF-8 (gonginx replaces such bytes).
func (s *scanner) checkWords() error {
	for _, t := range s.args {
		if !utf8.ValidString(s.raw(t)) {
			return errAt(s.file, t.line, "a word of the %q directive is not valid UTF-8; gonginx, the parser, cannot read it (write it in UTF-8)", clip(s.args[0].val))
		}
		if gonginxWordEnd(s.src, t.start) != t.end {
			return errAt(s.file, t.line, "a word of the %q directive is one word to nginx but not to gonginx, the parser: "+
				"it holds \"}\", a backslash-escaped space, \";\" or \"{\", a backquote or an escaped backslash before a closing quote (put the word in quotes, or write it without these)", clip(s.args[0].val))
		}
	}
	return nil
}

// gonginxWordEnd is where gonginx's lexer (scanQuotedString, scanKeyword) ends the word that
// starts at src[start], or -1 when it runs to the end of the text.
func gonginxWordEnd(src string, start int) int {
	if c := src[start]; c == '"' || c == '\'' || c == '`' {
		for i := start + 1; i < len(src); i++ {
			switch src[i] {
			case '\\':
				if i+1 < len(src) && src[i+1] == c {
					i++
				}
			case c:
				return i + 1
			}
		}
		return -1
	}
	prev, inVarRef := src[start], false
	i := start + 1
	for ; i < len(src); i++ {
		switch ch := src[i]; {
		case ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n' || ch == ';':
			return i
		case ch == '{' && prev == '$':
			inVarRef = true
		case ch == '{' && !inVarRef:
			return i
		case ch == '}' && inVarRef:
			inVarRef = false
		case ch == '}':
			return i
		case ch != '{':
			prev = ch
		}
	}
	return i
}

const luaSuffix = "_by_lua_block"

// luaBlock tells whether the block just opened has a Lua body, and rejects one that nginx
// and gonginx would disagree on: gonginx's lexer reads a Lua body when the word right before
// "{" ends in _by_lua_block, its parser when the directive name (as written) does.
func (s *scanner) luaBlock() (bool, error) {
	name, last := s.args[0], s.args[len(s.args)-1]
	nginxLua := isLuaBlock(name.val)
	parserLua := strings.HasSuffix(s.raw(name), luaSuffix)
	lastRaw := s.raw(last)
	lexerLua := !strings.ContainsAny(lastRaw[:1], "\"'`") && strings.HasSuffix(lastRaw, luaSuffix) &&
		strings.Trim(s.src[last.end:s.pos-1], " \t") == ""
	if nginxLua == parserLua && parserLua == lexerLua {
		return nginxLua, nil
	}
	return false, errAt(s.file, name.line, "gonginx, the parser, would read the body of this %q block differently from nginx: "+
		"write a Lua directive unquoted and directly followed by \"{\", and no other word ending in %q before a \"{\"", clip(name.val), luaSuffix)
}

// skipLuaAsGonginx skips a Lua body as lua-nginx-module reads it and rejects one whose end
// gonginx would place elsewhere: it counts every brace, also in Lua strings and comments,
// and skips from "#" to the end of the line after the next.
func (s *scanner) skipLuaAsGonginx(openLine int) error {
	body := s.pos
	if err := s.skipLua(openLine); err != nil {
		return err
	}
	depth := 0
	for i := body; i < len(s.src); i++ {
		switch s.src[i] {
		case '#':
			i += 2 // gonginx reads one more character before it looks for the end of the line
			for i < len(s.src) && s.src[i] != '\n' && s.src[i] != '\r' {
				i++
			}
			i--
		case '{':
			depth++
		case '}':
			if depth == 0 {
				if i == s.pos-1 {
					return nil
				}
				return errAt(s.file, openLine, "the Lua block opened at line %d has braces in Lua strings or comments that gonginx, the parser, would miscount "+
					"(balance them, or build the string with string.char)", openLine)
			}
			depth--
		}
	}
	return errAt(s.file, openLine, "the Lua block opened at line %d has braces in Lua strings or comments that gonginx, the parser, would miscount "+
		"(balance them, or build the string with string.char)", openLine)
}

// checkComment rejects a comment (from s.pos, just after its "#") holding a carriage return
// with more text after it on the line: nginx ends a comment at a line feed, gonginx at either.
func (s *scanner) checkComment() error {
	rest := s.src[s.pos:]
	if end := strings.IndexByte(rest, '\n'); end >= 0 {
		rest = rest[:end]
	}
	if i := strings.IndexByte(rest, '\r'); i >= 0 && strings.Trim(rest[i:], "\r \t") != "" {
		return errAt(s.file, s.line, "a comment holds a carriage return with text after it; nginx reads that text as comment, gonginx, the parser, would not (remove the carriage return)")
	}
	return nil
}
