package main

import (
	"fmt"
	"os"

	"github.com/stancewatch/stancewatch/producers/votes"
)

func cmdDataset(args []string) int {
	fs := newFlags("dataset", "dataset build SRC [-o FILE]")
	out := fs.String("o", "", "write here instead of standard output")
	pos, code := parseOrExit(fs, args)
	if code >= 0 {
		return code
	}
	if len(pos) != 2 || pos[0] != "build" {
		fs.Usage()
		return exitUsage
	}
	src, err := os.ReadFile(pos[1])
	if err != nil {
		return fail("%v", err)
	}
	b, err := votes.BuildDataset(src, "shared/data/unsc_gaza_votes.json")
	if err != nil {
		return fail("%s: %v", pos[1], err)
	}
	if *out == "" {
		_, err = os.Stdout.Write(b)
	} else {
		err = os.WriteFile(*out, b, 0o644)
	}
	if err != nil {
		return fail("%v", err)
	}
	if *out != "" {
		fmt.Fprintf(os.Stderr, "wrote %s (%d bytes)\n", *out, len(b))
	}
	return exitOK
}
