// Package lab is the project's evidence: real nginx (Debian's) in front of real backend servers
// on loopback. It measures each server's idle close and request cap against the catalogue, and
// drives POST bursts timed at the backend's idle deadline to show 502s with nginx's defaults and
// none with the engine's recommendation. Run it with `make e2e`: the files that start servers carry
// the build tag lab; the arithmetic and report rendering are plain code that `make unit` tests.
package lab
