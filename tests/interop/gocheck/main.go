// Command gocheck verifies showclear's C2SP notes and RFC 6962 proofs with Go's
// golang.org/x/mod/sumdb/note and sumdb/tlog, an implementation written by others.
//
//	gocheck note VKEY FILE   prints the note text when FILE is a note VKEY signed
//	gocheck proofs           reads proof lines on stdin, prints "ok" or the error for each:
//	  inclusion SIZE INDEX LEAFHEX ROOTHEX [HASHHEX...]
//	  consistency NEWSIZE OLDSIZE NEWROOTHEX OLDROOTHEX [HASHHEX...]
package main

import (
	"bufio"
	"encoding/hex"
	"fmt"
	"os"
	"strconv"
	"strings"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

func fail(err error) {
	fmt.Fprintln(os.Stderr, err)
	os.Exit(1)
}

func hash(text string) (tlog.Hash, error) {
	var h tlog.Hash
	raw, err := hex.DecodeString(text)
	if err != nil || len(raw) != len(h) {
		return h, fmt.Errorf("bad hash %q", text)
	}
	copy(h[:], raw)
	return h, nil
}

func check(fields []string) error {
	if len(fields) < 5 {
		return fmt.Errorf("short line")
	}
	a, err1 := strconv.ParseInt(fields[1], 10, 64)
	b, err2 := strconv.ParseInt(fields[2], 10, 64)
	x, err3 := hash(fields[3])
	y, err4 := hash(fields[4])
	for _, err := range []error{err1, err2, err3, err4} {
		if err != nil {
			return err
		}
	}
	var proof []tlog.Hash
	for _, f := range fields[5:] {
		h, err := hash(f)
		if err != nil {
			return err
		}
		proof = append(proof, h)
	}
	switch fields[0] {
	case "inclusion":
		return tlog.CheckRecord(tlog.RecordProof(proof), a, y, b, x)
	case "consistency":
		return tlog.CheckTree(tlog.TreeProof(proof), a, x, b, y)
	}
	return fmt.Errorf("unknown kind %q", fields[0])
}

func main() {
	if len(os.Args) == 4 && os.Args[1] == "note" {
		v, err := note.NewVerifier(os.Args[2])
		if err != nil {
			fail(err)
		}
		data, err := os.ReadFile(os.Args[3])
		if err != nil {
			fail(err)
		}
		n, err := note.Open(data, note.VerifierList(v))
		if err != nil {
			fail(err)
		}
		fmt.Print(n.Text)
		return
	}
	if len(os.Args) == 2 && os.Args[1] == "proofs" {
		in := bufio.NewScanner(os.Stdin)
		in.Buffer(make([]byte, 1<<20), 1<<20)
		for in.Scan() {
			if err := check(strings.Fields(in.Text())); err != nil {
				fmt.Println(err)
			} else {
				fmt.Println("ok")
			}
		}
		return
	}
	fail(fmt.Errorf("usage: gocheck note VKEY FILE | gocheck proofs"))
}
