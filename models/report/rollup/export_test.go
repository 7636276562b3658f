package rollup

// SetMaxDaysARound sets how many days a round of the day-grain refresh
// takes, and returns the undoing.
func SetMaxDaysARound(n int) func() {
	old := maxDaysARound
	maxDaysARound = n
	return func() { maxDaysARound = old }
}
