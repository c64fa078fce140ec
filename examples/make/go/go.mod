module example.com/makedemo

go 1.19
