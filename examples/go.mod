module example.com/xbuild-examples

go 1.19
