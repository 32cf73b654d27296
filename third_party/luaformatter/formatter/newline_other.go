//go:build !linux && !darwin && !windows

// Added by nginxkeepalive: upstream defines newLineSymbol only for linux, darwin and windows,
// so the package (imported by gonginx's dumper) did not build for freebsd.
package formatter

const newLineSymbol = "\n"
