// Package data holds the dataset bundled with stancewatch: the UN
// Security Council's roll calls on Gaza texts, October 2023 to November
// 2024, in stancewatch's roll-call format, built from a compiled and
// sourced table (see README.md in this folder).
package data

import _ "embed"

// GazaRollCallsFile is the bundled dataset's file name.
const GazaRollCallsFile = "unsc_gaza_rollcalls.json"

// GazaRollCalls is the bundled dataset.
//
//go:embed unsc_gaza_rollcalls.json
var GazaRollCalls []byte
