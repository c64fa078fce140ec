// whoami imports os/user: with cgo on it uses libc's getpwuid_r (NSS),
// unless built with -tags osusergo or CGO_ENABLED=0.
package main

import (
	"fmt"
	"os"
	"os/user"
)

func main() {
	u, err := user.Current()
	if err != nil {
		fmt.Fprintln(os.Stderr, "whoami:", err)
		os.Exit(1)
	}
	fmt.Printf("uid=%s name=%s\n", u.Uid, u.Username)
}
