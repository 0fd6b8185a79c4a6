// Package data holds the datasets bundled with stancewatch, which serve
// loads on its first start (see README.md in this folder for provenance,
// licences and how each is read):
//
//   - the UN Security Council's roll calls on Gaza texts, October 2023 to
//     November 2024, in stancewatch's roll-call format, built from a
//     compiled and sourced table;
//   - the list of vetoed Security Council drafts, 1946 to September 2022
//     (World Politics Data Lab, MIT);
//   - every recorded General Assembly roll call, 1946 to January 2020
//     (Erik Voeten's data as packaged by the R package unvotes, CC0).
package data

import (
	"embed"
	"io/fs"
)

// GazaRollCallsFile is the bundled Gaza dataset's file name.
const GazaRollCallsFile = "unsc_gaza_rollcalls.json"

// GazaRollCalls is the bundled Gaza dataset.
//
//go:embed unsc_gaza_rollcalls.json
var GazaRollCalls []byte

// The files of the larger records, inside Files.
const (
	UnvotesRollCalls = "unvotes/un_roll_calls.csv.gz"
	UnvotesIssues    = "unvotes/un_roll_call_issues.csv.gz"
	UnvotesVotes     = "unvotes/un_votes.csv.gz"
	Vetoes           = "unsc_vetoes/unsc_vetoes_1946_sept2022.csv.gz"
)

//go:embed unvotes/*.csv.gz unsc_vetoes/*.csv.gz
var files embed.FS

// Files returns the bundled records, by the paths above.
func Files() fs.FS { return files }
