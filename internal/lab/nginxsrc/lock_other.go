//go:build !unix

package nginxsrc

// lockFile is a no-op where flock does not exist: the staged rename still keeps a half-built
// tree out of the cache; concurrent callers may build twice.
func lockFile(string) (func(), error) { return func() {}, nil }
