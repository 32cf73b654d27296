// +build windows

package formatter

const newLineSymbol = "\r\n"
