// hello is pure Go: it links statically with Go's internal linker.
package main

import "fmt"

func main() {
	fmt.Println("hi, user")
}
