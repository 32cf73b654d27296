//go:build unix

package nginxconf

import "syscall"

// fifoKind is how readRegular names what mkfifo makes.
const fifoKind = "named pipe"

func mkfifo(path string) error { return syscall.Mkfifo(path, 0o644) }
