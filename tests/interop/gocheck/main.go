// Command gocheck verifies showclear's C2SP notes and RFC 6962 proofs with Go's
// golang.org/x/mod/sumdb/note and sumdb/tlog, an implementation written by others.
//
//	gocheck note VKEY FILE   prints the note text when FILE is a note VKEY signed
//	gocheck tiles VKEY DIR   checks a tlog-tiles tree: the checkpoint, every entry's proof
//	gocheck proofs           reads proof lines on stdin, prints "ok" or the error for each:
//	  inclusion SIZE INDEX LEAFHEX ROOTHEX [HASHHEX...]
//	  consistency NEWSIZE OLDSIZE NEWROOTHEX OLDROOTHEX [HASHHEX...]
package main

import (
	"bufio"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
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

// dirTiles reads C2SP tile paths: Go's tile/8/L/N is tile/L/N, tile/8/data/N is tile/entries/N.
type dirTiles struct{ dir string }

func (d dirTiles) path(t tlog.Tile) string {
	p := t.Path()
	p = strings.Replace(p, "tile/8/data/", "tile/entries/", 1)
	return filepath.Join(d.dir, strings.Replace(p, "tile/8/", "tile/", 1))
}

func (d dirTiles) Height() int { return 8 }

func (d dirTiles) ReadTiles(tiles []tlog.Tile) ([][]byte, error) {
	out := make([][]byte, len(tiles))
	for i, t := range tiles {
		data, err := os.ReadFile(d.path(t))
		if err != nil {
			return nil, err
		}
		out[i] = data
	}
	return out, nil
}

func (d dirTiles) SaveTiles([]tlog.Tile, [][]byte) {}

func checkTiles(vkey, dir string) error {
	v, err := note.NewVerifier(vkey)
	if err != nil {
		return err
	}
	data, err := os.ReadFile(filepath.Join(dir, "checkpoint"))
	if err != nil {
		return err
	}
	n, err := note.Open(data, note.VerifierList(v))
	if err != nil {
		return err
	}
	lines := strings.Split(n.Text, "\n")
	size, err := strconv.ParseInt(lines[1], 10, 64)
	if err != nil {
		return err
	}
	raw, err := base64.StdEncoding.DecodeString(lines[2])
	if err != nil || len(raw) != 32 {
		return fmt.Errorf("bad root")
	}
	var root tlog.Hash
	copy(root[:], raw)
	tiles := dirTiles{dir}
	hashes := tlog.TileHashReader(tlog.Tree{N: size, Hash: root}, tiles)
	got, err := tlog.TreeHash(size, hashes)
	if err != nil {
		return err
	}
	if got != root {
		return fmt.Errorf("the tiles give another root")
	}
	for start := int64(0); start < size; start += 256 {
		w := size - start
		if w > 256 {
			w = 256
		}
		bundle, err := os.ReadFile(tiles.path(tlog.Tile{H: 8, L: -1, N: start / 256, W: int(w)}))
		if err != nil {
			return err
		}
		for i := int64(0); i < w; i++ {
			length := int(binary.BigEndian.Uint16(bundle))
			record := tlog.RecordHash(bundle[2 : 2+length])
			bundle = bundle[2+length:]
			proof, err := tlog.ProveRecord(size, start+i, hashes)
			if err != nil {
				return err
			}
			if err := tlog.CheckRecord(proof, size, root, start+i, record); err != nil {
				return err
			}
		}
	}
	fmt.Printf("ok %d\n", size)
	return nil
}

func main() {
	if len(os.Args) == 4 && os.Args[1] == "tiles" {
		if err := checkTiles(os.Args[2], os.Args[3]); err != nil {
			fail(err)
		}
		return
	}
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
