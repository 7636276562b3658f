package importer

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/unesco-gnlc/learnthroughlife/models"
	"github.com/unesco-gnlc/learnthroughlife/models/store"
)

// eventLookups is what an events file's rows are read against: the city
// (its id and clock), its events by reference and by title and start,
// its partners by name, the campaigns by hashtag, and the stored events,
// with their links, that the file's rows update.
type eventLookups struct {
	cityID uint
	loc    *time.Location
	byRef  map[string]uint
	byKey  map[string]uint
	refOf  map[uint]string
	// partnerByName and campaignByTag are keyed by NormalizeHeader'd name
	// and by lower-case hashtag without its "#".
	partnerByName map[string]uint
	partnerName   map[uint]string
	campaignByTag map[string]uint
	campaignTag   map[uint]string
	// newest is the newest campaign's id, 0 when there is none: a new
	// event's campaign when its row names none.
	newest uint
	stored map[uint]models.Event
}

// rowKey is what recognises a row's event: its reference, else its title
// and start (startCell as written, start as read when okStart).
type rowKey struct {
	ref, title string
	startCell  string
	start      time.Time
	okStart    bool
	startErr   error // why startCell could not be read
}

// readKey reads a row's reference, title and start.
func readKey(row SheetRow, pos map[string]int, loc *time.Location) rowKey {
	var k rowKey
	k.ref, _ = cell(row, pos, "external_ref")
	k.title, _ = cell(row, pos, "title")
	k.startCell, _ = cell(row, pos, "starts_at")
	k.start, k.startErr = ParseSheetTime(k.startCell, loc)
	k.okStart = k.startErr == nil
	return k
}

// eventKey is how an event without a reference is recognised in its city:
// its title and its start.
func eventKey(title string, start time.Time) string {
	return strings.ToLower(title) + "\x00" + start.UTC().Format(time.RFC3339)
}

// lookupEvents indexes what the city has (lk) and reads, in batches, the
// stored events that the sheet's rows update.
func lookupEvents(ctx context.Context, st *store.Store, city *models.City, lk *store.ImportLookups, sheet *Sheet, pos map[string]int) (*eventLookups, error) {
	l := &eventLookups{cityID: city.ID, loc: city.Location(), byRef: map[string]uint{}, byKey: map[string]uint{}, refOf: map[uint]string{},
		partnerByName: map[string]uint{}, partnerName: map[uint]string{},
		campaignByTag: map[string]uint{}, campaignTag: map[uint]string{}}
	for _, e := range lk.Events {
		l.byKey[eventKey(e.Title, e.StartsAt)] = e.ID
		if e.ExternalRef != nil {
			l.byRef[*e.ExternalRef] = e.ID
			l.refOf[e.ID] = *e.ExternalRef
		}
	}
	for _, p := range lk.Partners {
		l.partnerByName[models.NormalizeHeader(p.Name)] = p.ID
		l.partnerName[p.ID] = p.Name
	}
	for _, c := range lk.Campaigns {
		l.campaignByTag[models.CampaignSlug(c.Hashtag)] = c.ID
		l.campaignTag[c.ID] = c.Hashtag
	}
	if len(lk.Campaigns) > 0 {
		l.newest = lk.Campaigns[0].ID
	}
	var matched []uint
	for _, row := range sheet.Rows {
		if id := l.match(readKey(row, pos, l.loc)); id != 0 {
			matched = append(matched, id)
		}
	}
	events, err := st.EventsByIDs(ctx, models.Unique(matched))
	if err != nil {
		return nil, err
	}
	l.stored = make(map[uint]models.Event, len(events))
	for _, e := range events {
		l.stored[e.ID] = e
	}
	return l, nil
}

// match finds the city's event a row updates, 0 for none: by its
// reference, else by its title and start.
func (l *eventLookups) match(k rowKey) uint {
	if id := l.byRef[k.ref]; k.ref != "" && id != 0 {
		return id
	}
	if !k.okStart {
		return 0
	}
	id := l.byKey[eventKey(k.title, k.start)]
	if id != 0 && k.ref != "" && l.refOf[id] != "" && l.refOf[id] != k.ref {
		return 0 // the same title and start, but another of the city's rows
	}
	return id
}

// planEvents plans an events file's rows: each row is read into an event,
// new or the city's that it matches, and checked as the forms check one;
// a reference, or without one a title and start, twice in the file is a
// problem of its second row. The partners the rows name that the city
// lacks are listed once each, in the order the file names them. A row
// that leaves its event as it is is counted unchanged, not written; a row
// left out is read for the preview only.
func planEvents(ctx context.Context, st *store.Store, p *plan, city *models.City, sheet *Sheet, pos map[string]int,
	vocab models.ImportVocabulary, now time.Time, lk *store.ImportLookups) error {
	l, err := lookupEvents(ctx, st, city, lk, sheet, pos)
	if err != nil {
		return err
	}
	seenRef, seenKey := map[string]int{}, map[string]int{}
	newPartners := map[string]bool{}
	for _, row := range sheet.Rows {
		k := readKey(row, pos, l.loc)
		p.values.line, p.values.quiet = row.Line, p.skip[row.Line]
		if p.skip[row.Line] {
			ie, _ := l.eventFromRow(row, k, pos, vocab, p.values)
			validateEvent(ie.Event, k, now, models.FieldErrors{})
			p.Skipped++
			p.listRow(l.previewRow(row.Line, ie, true))
			continue
		}
		// The problems that name another row come first: a field keeps
		// the first problem it is given.
		problems := models.FieldErrors{}
		if k.ref != "" {
			if first, dup := seenRef[k.ref]; dup {
				problems.Add("external_ref", "duplicate_row", strconv.Itoa(first))
			}
			seenRef[k.ref] = row.Line
		}
		if k.okStart {
			key := eventKey(k.title, k.start)
			if first, dup := seenKey[key]; dup && k.ref == "" {
				problems.Add("title", "duplicate_row", strconv.Itoa(first))
			}
			seenKey[key] = row.Line
		}
		ie, rowProblems := l.eventFromRow(row, k, pos, vocab, p.values)
		for f, pr := range rowProblems {
			problems.Add(f, pr.Code, pr.Param)
		}
		for _, name := range ie.NewPartners {
			if n := models.NormalizeHeader(name); !newPartners[n] {
				newPartners[n] = true
				p.NewPartners = append(p.NewPartners, name)
			}
		}
		validateEvent(ie.Event, k, now, problems)
		if len(problems) > 0 {
			addProblems(p.ImportPlan, row.Line, problems, models.ImportEvents)
			continue
		}
		r := l.previewRow(row.Line, ie, false)
		switch {
		case ie.Before == nil:
			p.Creates++
		case len(r.Changed) == 0:
			p.Unchanged++
			continue
		default:
			p.Updates++
		}
		p.events = append(p.events, ie)
		p.listRow(r)
	}
	return nil
}

// previewRow is a row read into ie as the preview shows it: its event
// and, for an update, the stored one, with the columns it changes.
func (l *eventLookups) previewRow(line int, ie store.ImportedEvent, skipped bool) models.ImportRow {
	r := models.ImportRow{Line: line, Skipped: skipped, Event: ie.Event, Before: ie.Before, Ref: ie.Ref,
		Partners: l.partnerNames(ie.Event.PartnerIDs), NewPartners: ie.NewPartners, Campaign: l.campaignTag[ie.Event.CampaignID]}
	r.Partners = append(r.Partners, ie.NewPartners...)
	if ie.Before == nil {
		return r
	}
	r.RefBefore = l.refOf[ie.Before.ID]
	r.PartnersBefore = l.partnerNames(ie.Before.PartnerIDs)
	r.CampaignBefore = l.campaignTag[ie.Before.CampaignID]
	r.Changed = models.EventChanges(ie.Before, ie.Event, len(ie.NewPartners))
	if ie.Ref != "" && ie.Ref != r.RefBefore {
		r.Changed = append([]string{"external_ref"}, r.Changed...)
	}
	return r
}

// partnerNames names the city's partners of ids.
func (l *eventLookups) partnerNames(ids []uint) []string {
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		out = append(out, l.partnerName[id])
	}
	return out
}

// eventFromRow reads a row of an events file (k its key) into an event:
// a copy of the city's event it matches, with its links, its cells
// replacing what they name, or a new one (in person, planned, or held
// when it has participants, in the newest campaign). It returns the
// problems of the cells it cannot read; the event itself is not yet
// checked (validateEvent).
func (l *eventLookups) eventFromRow(row SheetRow, k rowKey, pos map[string]int, vocab models.ImportVocabulary,
	values *valueMap) (store.ImportedEvent, models.FieldErrors) {
	problems := models.FieldErrors{}
	ie := store.ImportedEvent{Event: &models.Event{CityID: l.cityID, Format: models.FormatInPerson}, Ref: k.ref}
	var before models.Event
	isNew := true
	if id := l.match(k); id != 0 {
		old := l.stored[id]
		ie.Event, isNew = &old, false
		before = old
		ie.Before = &before
	}
	e := ie.Event
	if k.startCell != "" && !k.okStart {
		addDateProblem(problems, "starts_at", k.startErr)
	}
	e.Title, e.StartsAt = k.title, k.start
	readEventCells(e, row, pos, vocab, values, l.loc, isNew, problems)
	readAgeParticipants(e, &before, row, pos, problems)
	ie.NewPartners = l.readPartners(e, row, pos)
	l.readCampaign(e, row, pos, problems)
	return ie, problems
}

// readEventCells reads into e the cells of a row that are the event's own
// fields, the enumerated ones through values. A new event's end, when the
// row has none, is its start, and its status planned, or held when it has
// participants; an updated event keeps those when the file has no such
// column.
func readEventCells(e *models.Event, row SheetRow, pos map[string]int, vocab models.ImportVocabulary, values *valueMap, loc *time.Location,
	isNew bool, problems models.FieldErrors) {
	if v, ok := cell(row, pos, "description"); ok {
		e.Description = v
	}
	if v, ok := cell(row, pos, "venue"); ok {
		e.Venue = v
	}
	if v, ok := cell(row, pos, "lang"); ok {
		e.Lang = v
	}
	if v, ok := cell(row, pos, "ends_at"); ok && v != "" {
		end, err := ParseSheetTime(v, loc)
		if err != nil {
			addDateProblem(problems, "ends_at", err)
		}
		e.EndsAt = end
	} else if isNew || ok {
		e.EndsAt = e.StartsAt
	}
	if v, ok := cell(row, pos, "format"); ok && v != "" {
		f := models.EventFormat(vocab.Value("format", v))
		e.Format = models.EventFormat(values.resolve(problems, "format", v, string(f), f.Valid()))
	}
	if v, ok := cell(row, pos, "participants"); ok {
		e.Participants = nil
		if v != "" {
			n, err := strconv.Atoi(v)
			if err != nil {
				problems.Add("participants", "number", "")
			}
			e.Participants = &n
		}
	}
	if v, ok := cell(row, pos, "status"); ok && v != "" {
		st := models.EventStatus(vocab.Value("status", v))
		e.Status = models.EventStatus(values.resolve(problems, "status", v, string(st), st.Valid()))
	} else if isNew || ok {
		e.Status = models.StatusPlanned
		if e.Participants != nil {
			e.Status = models.StatusHeld
		}
	}
	if v, ok := cell(row, pos, "learning_areas"); ok {
		e.LearningAreas = nil
		keys, typed := vocab.List("learning_areas", v)
		for i, a := range keys {
			a = values.resolve(problems, "learning_areas", typed[i], a, models.LearningArea(a).Valid())
			e.LearningAreas = append(e.LearningAreas, models.LearningArea(a))
		}
	}
	if v, ok := cell(row, pos, "age_groups"); ok {
		e.AgeGroups = nil
		keys, typed := vocab.List("age_groups", v)
		for i, g := range keys {
			g = values.resolve(problems, "age_groups", typed[i], g, models.AgeGroup(g).Valid())
			e.AgeGroups = append(e.AgeGroups, models.AgeGroup(g))
		}
	}
}

// readAgeParticipants reads a row's participants by age group into e. A
// file with none of their columns keeps the counts recorded before (the
// stored event, or none) while the row leaves its age groups and
// participants as they were, and drops them otherwise: they would no
// longer add up, or would bring back a group the row took out.
func readAgeParticipants(e, before *models.Event, row SheetRow, pos map[string]int, problems models.FieldErrors) {
	has := false
	for _, g := range models.AgeGroups() {
		_, ok := pos[g.ParticipantsField()]
		has = has || ok
	}
	if !has {
		sameTotal := (e.Participants == nil) == (before.Participants == nil) && (e.Participants == nil || *e.Participants == *before.Participants)
		if !sameTotal || !sameSet(e.AgeGroups, before.AgeGroups) {
			e.AgeParticipants = nil
		}
		return
	}
	e.AgeParticipants = nil
	for _, g := range models.AgeGroups() {
		v, _ := cell(row, pos, g.ParticipantsField())
		if v == "" {
			continue
		}
		n, err := strconv.Atoi(v)
		if err != nil {
			problems.Add(g.ParticipantsField(), "number", "")
			continue
		}
		if e.AgeParticipants == nil {
			e.AgeParticipants = map[models.AgeGroup]int{}
		}
		e.AgeParticipants[g] = n
	}
}

// sameSet reports whether a and b hold the same values, repeats and order
// aside.
func sameSet[T comparable](a, b []T) bool {
	in := make(map[T]bool, len(a))
	for _, v := range a {
		in[v] = true
	}
	for _, v := range b {
		if !in[v] {
			return false
		}
	}
	return len(in) == len(models.Unique(b))
}

// readPartners reads a row's partners, by name, into e's partner ids, and
// returns the names the city has no partner of, in the row's order.
func (l *eventLookups) readPartners(e *models.Event, row SheetRow, pos map[string]int) []string {
	v, ok := cell(row, pos, "partners")
	if !ok {
		return nil
	}
	var unknown []string
	e.PartnerIDs = nil
	for _, name := range strings.FieldsFunc(v, func(r rune) bool { return r == ';' || r == '\n' || r == '|' }) {
		name = strings.TrimSpace(name)
		if name == "" {
			continue
		}
		if pid, found := l.partnerByName[models.NormalizeHeader(name)]; found {
			e.PartnerIDs = append(e.PartnerIDs, pid)
			continue
		}
		unknown = append(unknown, name)
	}
	return unknown
}

// readCampaign reads a row's campaign, by hashtag, into e; an event with
// none, and a row without one, takes the newest campaign.
func (l *eventLookups) readCampaign(e *models.Event, row SheetRow, pos map[string]int, problems models.FieldErrors) {
	if v, ok := cell(row, pos, "campaign"); ok && v != "" {
		cid, found := l.campaignByTag[models.CampaignSlug(v)]
		if !found {
			problems.Add("campaign", "oneof", "")
		}
		e.CampaignID = cid
	} else if e.CampaignID == 0 && l.newest != 0 {
		e.CampaignID = l.newest
	}
}

// validateEvent adds the problems of e, read from a row with key k, as
// Event.Validate finds them at now. A row whose start cannot be read has
// no end either: that the end is missing is not a problem of its own.
func validateEvent(e *models.Event, k rowKey, now time.Time, problems models.FieldErrors) {
	if fe, ok := models.AsFieldErrors(e.Validate(now)); ok {
		for f, p := range fe {
			problems.Add(f, p.Code, p.Param)
		}
	}
	if !k.okStart && e.EndsAt.IsZero() && problems["ends_at"].Code == "required" {
		delete(problems, "ends_at") // it follows the start, which has its own problem
	}
}
