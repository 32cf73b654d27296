//go:build !unix

package probetest

import (
	"net"
	"testing"
)

// RefusedAddress is a loopback address where nothing listens (a port freed at once: another
// server may be given it later in a busy test run).
func RefusedAddress(t testing.TB) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	_ = ln.Close()
	return addr
}
