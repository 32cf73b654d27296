package engine

import (
	"strconv"
	"strings"
)

// Path locates a value in the input: attribute names, list indexes and map keys, outermost
// first. It is plain data, so the Terraform layer converts it step by step to its own paths.
type Path []PathStep

// PathStep is one step of a Path: exactly one of an attribute name, a list index or a map key.
type PathStep struct {
	Kind  StepKind
	Name  string // StepAttribute: the attribute's name; StepKey: the map key
	Index int    // StepIndex: the list index
}

// StepKind tells the three kinds of PathStep apart.
type StepKind int

const (
	StepAttribute StepKind = iota
	StepIndex
	StepKey
)

// Root is the path of a top-level attribute.
func Root(name string) Path { return Path{{Kind: StepAttribute, Name: name}} }

// Attr returns p extended by an attribute name. Like the others it never shares p's backing
// array, so paths built from one base stay independent.
func (p Path) Attr(name string) Path { return p.with(PathStep{Kind: StepAttribute, Name: name}) }

// Index returns p extended by a list index.
func (p Path) Index(i int) Path { return p.with(PathStep{Kind: StepIndex, Index: i}) }

// Key returns p extended by a map key.
func (p Path) Key(key string) Path { return p.with(PathStep{Kind: StepKey, Name: key}) }

func (p Path) with(step PathStep) Path {
	out := make(Path, len(p), len(p)+1)
	copy(out, p)
	return append(out, step)
}

// String renders the path as Terraform shows attribute paths: backends[0].idle_timeout,
// upstreams["api"][1].type.
func (p Path) String() string {
	var sb strings.Builder
	for _, s := range p {
		switch s.Kind {
		case StepAttribute:
			if sb.Len() > 0 {
				sb.WriteByte('.')
			}
			sb.WriteString(s.Name)
		case StepIndex:
			sb.WriteString("[" + strconv.Itoa(s.Index) + "]")
		case StepKey:
			sb.WriteString("[" + strconv.Quote(s.Name) + "]")
		}
	}
	return sb.String()
}

// MarshalText renders the path as String does, so a Path encodes as that text (in digests, too).
func (p Path) MarshalText() ([]byte, error) { return []byte(p.String()), nil }
