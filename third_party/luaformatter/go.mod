module github.com/imega/luaformatter

go 1.13

require (
	github.com/timtadh/data-structures v0.5.3 // indirect
	github.com/timtadh/lexmachine v0.2.2
)
