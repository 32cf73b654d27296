//go:build !unix

package nginxconf

import "os"

// Without FIFOs, a directory stands in for the special file an include must not read.
const fifoKind = "directory"

func mkfifo(path string) error { return os.Mkdir(path, 0o755) }
