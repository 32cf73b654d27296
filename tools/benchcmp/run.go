package benchcmp

import (
	"fmt"

	crossplane "github.com/nginxinc/nginx-go-crossplane"

	"github.com/nginx-keepalive/terraform-provider-nginxkeepalive/internal/nginxconf"
)

// NginxVersion is the version whose defaults the analysis applies (Debian's nginx).
const NginxVersion = "1.22.1"

// Ours runs the provider's full analysis of the file: guard, gonginx parse, include
// handling, walk and findings. It returns the number of upstreams found.
func Ours(path string) (int, error) {
	a, err := nginxconf.AnalyzeFile(path, nginxconf.Options{NginxVersion: NginxVersion})
	if err != nil {
		return 0, fmt.Errorf("nginxconf: %w", err)
	}
	return len(a.Upstreams), nil
}

// crossplaneOptions is crossplane's parse of one file with its Lua lexer (the generated
// configuration has *_by_lua_block bodies). checks selects crossplane's directive context
// and argument checks, which are on by default; off is its cheapest plain parse.
func crossplaneOptions(checks bool) *crossplane.ParseOptions {
	return &crossplane.ParseOptions{
		SingleFile:                true,
		StopParsingOnError:        true,
		SkipDirectiveContextCheck: !checks,
		SkipDirectiveArgsCheck:    !checks,
		LexOptions:                crossplane.LexOptions{Lexers: []crossplane.RegisterLexer{(&crossplane.Lua{}).RegisterLexer()}},
	}
}

// Crossplane parses the file with crossplane and returns its number of top-level
// directives in the http block's children count, to make sure the whole file was read.
func Crossplane(path string, checks bool) (int, error) {
	p, err := crossplane.Parse(path, crossplaneOptions(checks))
	if err != nil {
		return 0, fmt.Errorf("crossplane: %w", err)
	}
	if len(p.Errors) > 0 {
		return 0, fmt.Errorf("crossplane: %w", p.Errors[0].Error)
	}
	return countUpstreams(p), nil
}

func countUpstreams(p *crossplane.Payload) int {
	n := 0
	for _, c := range p.Config {
		for _, d := range c.Parsed {
			if d.Directive != "http" {
				continue
			}
			for _, k := range d.Block {
				if k.Directive == "upstream" {
					n++
				}
			}
		}
	}
	return n
}
