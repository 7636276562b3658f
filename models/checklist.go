package models

// GettingStarted is how far a new coordinator has come in one of their
// cities (issue 33): the four first steps of the checklist on their home.
type GettingStarted struct {
	CityID uint
	// PageChecked: someone of the city said its public page is right.
	PageChecked bool
	// HasPartner, HasEvent: the city has at least one partner, one event.
	HasPartner bool
	HasEvent   bool
	// HasColleague: another account (active or invited) is tied to the city.
	HasColleague bool
}

// Steps counts the steps done, of 4.
func (g GettingStarted) Steps() int {
	n := 0
	for _, done := range []bool{g.PageChecked, g.HasPartner, g.HasEvent, g.HasColleague} {
		if done {
			n++
		}
	}
	return n
}

// Done reports whether every step is done: the checklist is then hidden.
func (g GettingStarted) Done() bool { return g.Steps() == 4 }
