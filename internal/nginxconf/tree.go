package nginxconf

import (
	"slices"

	"github.com/tufanbarisyildirim/gonginx/config"
)

// word is the value nginx reads for a word gonginx hands over as written: without its
// quotes, unescaped. (The guard has checked that both cut the word at the same places.)
func word(lit string) string {
	if len(lit) >= 2 && (lit[0] == '"' || lit[0] == '\'') {
		lit = lit[1 : len(lit)-1]
	}
	return unescape(lit)
}

// children lists the statements of block d (nil: the file's top level) with their lines,
// included files spliced in, in gonginx's order. This is where gonginx's tree meets the
// guard's records: gonginx dates a statement by its end, so the first line comes from the
// guard's record, paired with the node in source order. gonginx's http wrapper lists server
// blocks after the other statements, its upstream wrapper the server directives; the
// pairing follows that split, and the result keeps gonginx's order.
func (f *file) children(d config.IDirective, rec int) ([]node, error) {
	var ds, last []config.IDirective
	isLast := func(stmt) bool { return false }
	switch b := d.(type) {
	case nil:
		ds = f.tree.GetDirectives()
	case *config.HTTP:
		ds = b.Directives
		for _, s := range b.Servers {
			last = append(last, s)
		}
		isLast = func(s stmt) bool { return s.server && s.block }
	case *config.Upstream:
		ds = b.Directives
		for _, s := range b.UpstreamServers {
			last = append(last, s)
		}
		isLast = func(s stmt) bool { return s.server && !s.block }
	default:
		if b.GetBlock() == nil {
			return nil, nil
		}
		ds = b.GetBlock().GetDirectives()
	}
	from, to := 0, len(f.stmts)
	if rec >= 0 {
		from, to = rec+1, rec+1+int(f.stmts[rec].size)
	}
	out := make([]node, 0, len(ds)+len(last))
	tail := make([]node, 0, len(last))
	for i := from; i < to; i += 1 + int(f.stmts[i].size) {
		s := f.stmts[i]
		list, kids := &out, &ds
		if isLast(s) {
			list, kids = &tail, &last
		}
		if len(*kids) == 0 {
			return nil, errAt(f.name, int(s.line), "internal error: gonginx's tree lacks the statement at this line (please report this as a bug)")
		}
		*list = append(*list, node{d: (*kids)[0], f: f, rec: i, first: int(s.line)})
		*kids = (*kids)[1:]
	}
	if len(ds)+len(last) > 0 {
		return nil, errAt(f.name, 0, "internal error: gonginx's tree has statements the guard did not read (please report this as a bug)")
	}
	out = append(out, tail...)
	return spliceIncludes(out)
}

// spliceIncludes replaces each include by the statements of the files it names.
func spliceIncludes(ns []node) ([]node, error) {
	if !slices.ContainsFunc(ns, isInclude) {
		return ns, nil
	}
	out := make([]node, 0, len(ns))
	for _, n := range ns {
		if !isInclude(n) {
			out = append(out, n)
			continue
		}
		for _, child := range n.f.included[n.rec] {
			kids, err := child.children(nil, -1)
			if err != nil {
				return nil, err
			}
			out = append(out, kids...)
		}
	}
	return out, nil
}

func isInclude(n node) bool { return !n.isBlock() && n.name() == "include" }
