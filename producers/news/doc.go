// Package news reads wire stories and finds the positions states took in
// them: who vetoed, voted against, abstained, voted for, put forward,
// supported or opposed which text, when, and the sentence that says so.
//
// It is a lexicon-and-grammar extractor. Text is tokenised once (prose with
// curly quotes and lowercased, space-tokenised copy alike), split into
// sentences whose byte spans are those of the file, and each stance trigger
// ("vetoed", "voted against", "its abstention", "was vetoed by") is tied to
// the actors that are its subject: named, coded, demonym with a role
// ("the British government"), capital as metonym ("Washington has made
// clear"), pronoun resolved to the previous subject, coordinated lists and
// lists in parentheses. Negation and modality ("declined to veto", "could
// not vote yes", "had planned to veto") cancel a trigger; counts without
// names ("the 14 other members") give nothing; positions mentioned in
// passing are dated only when the text dates them; relative days are
// resolved against the publication date.
//
// A Catalog of known motions (by default the bundled roll calls) ties a
// position to the motion it is about when the text does not name it, and
// lowers the confidence of a finding that the vote record contradicts.
// Precision comes first: a wrong position in a country's history is worse
// than a missing one.
package news
