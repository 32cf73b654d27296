// +build darwin

package formatter

const newLineSymbol = "\n"
