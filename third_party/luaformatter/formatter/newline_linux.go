// +build linux

package formatter

const newLineSymbol = "\n"
