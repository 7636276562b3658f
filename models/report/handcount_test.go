package report_test

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/unesco-gnlc/learnthroughlife/models"
	"github.com/unesco-gnlc/learnthroughlife/models/report"
	"github.com/unesco-gnlc/learnthroughlife/models/store"
	"github.com/unesco-gnlc/learnthroughlife/models/store/storetest"
)

// The test below checks every row of every breakdown against figures
// counted by hand from a small network. The roll-ups and the raw tables
// share the code that assembles a report, so comparing them with each
// other cannot catch that code's mistakes; this test can. Over all time,
// the figures within a row all differ, except where a definition makes
// them equal (a region or country of one city, a city with no events,
// the sector no partner engaged is in), and participants differ from row
// to row: a figure put in another's place, a row given another's key, a
// day counted in the wrong part of a period, shows. The expected figures
// are counted by hand and written down: never compute them in the test.
//
// The network (all of 2024, UTC):
//
//	city       country region       partners (sector)
//	Agadir     MA      arab-states  a1 cultural, a2 public, a3 media
//	Aswan      EG      arab-states  none
//	Cork       IE      europe-na    c1 education, c2 public, c3 civil-society
//	Essaouira  MA      arab-states  e1 other (only on a cancelled event)
//	Fez        MA      arab-states  f1 education, f2 employer
//	Limerick   IE      europe-na    none
//	Suzhou     CN      asia-pacific z1 cultural (only on a planned event)
//
// Essaouira has nothing that counts (a cancelled event, a pending story);
// Suzhou is active through its stories alone.

// The short names the fixture's tables use.
const (
	edu, fam, work  = models.AreaEducationSystem, models.AreaFamilies, models.AreaWorkplace
	tech, qual, cul = models.AreaTechnologies, models.AreaQuality, models.AreaCulture

	children, youth, adults, older = models.AgeChildren, models.AgeYouth, models.AgeAdults, models.AgeOlderAdults

	inPerson, online, hybrid = models.FormatInPerson, models.FormatOnline, models.FormatHybrid
)

// handEvent is an event of the fixture. A held event's participants by
// age group are ages; reached lists the age groups of an event whose
// participants by age were not recorded.
type handEvent struct {
	city     string
	at       string // "2006-01-02 15:04", UTC
	format   models.EventFormat
	status   models.EventStatus
	n        int // participants, held events only
	areas    []models.LearningArea
	ages     map[models.AgeGroup]int
	reached  []models.AgeGroup
	partners []string
	// other is true for the second campaign's events.
	other bool
}

// handEvents are the fixture's events by date: 16 held, and a cancelled
// and two planned ones that must not count. Agadir's a2 is engaged in May
// in both campaigns; a1 in the days before and after April and in April.
var handEvents = []handEvent{
	{city: "Limerick", at: "2024-02-26 10:00", format: inPerson, status: models.StatusHeld, n: 56, areas: []models.LearningArea{fam}},
	{city: "Agadir", at: "2024-03-10 00:00", format: hybrid, status: models.StatusHeld, n: 64, areas: []models.LearningArea{edu, fam},
		ages: map[models.AgeGroup]int{children: 24, youth: 40}, partners: []string{"a1"}},
	{city: "Aswan", at: "2024-03-15 10:00", format: inPerson, status: models.StatusHeld, n: 260, areas: []models.LearningArea{fam},
		ages: map[models.AgeGroup]int{children: 110, adults: 150}},
	{city: "Essaouira", at: "2024-03-20 10:00", format: online, status: models.StatusCancelled, areas: []models.LearningArea{cul}, partners: []string{"e1"}},
	{city: "Fez", at: "2024-03-22 09:00", format: inPerson, status: models.StatusHeld, n: 88, areas: []models.LearningArea{edu},
		ages: map[models.AgeGroup]int{youth: 88}, partners: []string{"f1"}},
	{city: "Agadir", at: "2024-04-02 10:00", format: inPerson, status: models.StatusCancelled, areas: []models.LearningArea{qual},
		reached: []models.AgeGroup{adults}, partners: []string{"a2", "a3"}},
	{city: "Fez", at: "2024-04-03 10:00", format: hybrid, status: models.StatusHeld, n: 75, areas: []models.LearningArea{work},
		ages: map[models.AgeGroup]int{adults: 75}, partners: []string{"f2"}},
	{city: "Agadir", at: "2024-04-05 10:00", format: online, status: models.StatusHeld, n: 35, areas: []models.LearningArea{tech},
		ages: map[models.AgeGroup]int{youth: 35}, partners: []string{"a3"}},
	{city: "Fez", at: "2024-04-09 16:00", format: online, status: models.StatusHeld, n: 132, areas: []models.LearningArea{edu, work},
		ages: map[models.AgeGroup]int{youth: 32, adults: 100}, partners: []string{"f1", "f2"}},
	{city: "Suzhou", at: "2024-04-11 10:00", format: hybrid, status: models.StatusPlanned, areas: []models.LearningArea{fam}, partners: []string{"z1"}},
	{city: "Agadir", at: "2024-04-18 14:00", format: inPerson, status: models.StatusHeld, n: 210, areas: []models.LearningArea{cul},
		ages: map[models.AgeGroup]int{adults: 150, older: 60}, partners: []string{"a1", "a3"}},
	{city: "Cork", at: "2024-04-25 10:00", format: hybrid, status: models.StatusHeld, n: 41, areas: []models.LearningArea{qual, cul},
		ages: map[models.AgeGroup]int{adults: 41}, partners: []string{"c1", "c2", "c3"}},
	{city: "Limerick", at: "2024-04-28 10:00", format: online, status: models.StatusHeld, n: 23, areas: []models.LearningArea{cul},
		ages: map[models.AgeGroup]int{older: 23}},
	{city: "Agadir", at: "2024-05-02 09:00", format: online, status: models.StatusHeld, n: 18, areas: []models.LearningArea{qual},
		ages: map[models.AgeGroup]int{older: 18}, partners: []string{"a2"}},
	{city: "Fez", at: "2024-05-10 10:00", format: inPerson, status: models.StatusPlanned, areas: []models.LearningArea{work}, partners: []string{"f2"}},
	{city: "Agadir", at: "2024-05-12 10:00", format: inPerson, status: models.StatusHeld, n: 120, areas: []models.LearningArea{fam, cul},
		ages: map[models.AgeGroup]int{children: 50, adults: 70}, partners: []string{"a1"}},
	{city: "Aswan", at: "2024-05-19 18:00", format: online, status: models.StatusHeld, n: 9, areas: []models.LearningArea{tech},
		ages: map[models.AgeGroup]int{older: 9}},
	{city: "Agadir", at: "2024-05-20 00:00", format: inPerson, status: models.StatusHeld, n: 47, areas: []models.LearningArea{work},
		ages: map[models.AgeGroup]int{adults: 47}, partners: []string{"a2"}, other: true},
	{city: "Cork", at: "2024-05-28 10:00", format: inPerson, status: models.StatusHeld, n: 300, areas: []models.LearningArea{edu},
		reached: []models.AgeGroup{youth, adults}, partners: []string{"c3"}},
	{city: "Limerick", at: "2024-06-14 10:00", format: hybrid, status: models.StatusHeld, n: 97, areas: []models.LearningArea{tech},
		ages: map[models.AgeGroup]int{youth: 97}},
}

// handStory is a story of the fixture, submitted at at.
type handStory struct {
	city   string
	at     string
	age    models.AgeGroup
	areas  []models.LearningArea
	status models.StoryStatus
}

// handStories are the fixture's stories by submission: 13 published, and
// two pending and a rejected one that must not count.
var handStories = []handStory{
	{"Agadir", "2024-02-12 11:00", adults, []models.LearningArea{fam, qual}, models.StoryPublished},
	{"Aswan", "2024-02-20 10:00", adults, []models.LearningArea{tech}, models.StoryPublished},
	{"Aswan", "2024-03-01 00:00", children, []models.LearningArea{edu, fam}, models.StoryPublished},
	{"Agadir", "2024-03-02 08:00", adults, []models.LearningArea{fam}, models.StoryPublished},
	{"Limerick", "2024-03-03 10:00", adults, []models.LearningArea{qual}, models.StoryPublished},
	{"Essaouira", "2024-03-20 08:00", adults, []models.LearningArea{cul}, models.StoryPending},
	{"Suzhou", "2024-03-25 10:00", adults, []models.LearningArea{cul}, models.StoryPublished},
	{"Suzhou", "2024-04-09 23:59", youth, []models.LearningArea{work}, models.StoryPublished},
	{"Agadir", "2024-05-02 11:00", youth, []models.LearningArea{fam}, models.StoryRejected},
	{"Fez", "2024-05-10 08:00", youth, []models.LearningArea{work}, models.StoryPending},
	{"Agadir", "2024-05-19 23:30", youth, []models.LearningArea{tech}, models.StoryPublished},
	{"Limerick", "2024-05-20 00:00", adults, []models.LearningArea{fam, qual}, models.StoryPublished},
	{"Aswan", "2024-06-08 12:00", older, []models.LearningArea{work}, models.StoryPublished},
	{"Limerick", "2024-06-18 10:00", youth, []models.LearningArea{cul}, models.StoryPublished},
	{"Limerick", "2024-06-21 10:00", children, []models.LearningArea{edu}, models.StoryPublished},
	{"Agadir", "2024-06-30 20:00", older, []models.LearningArea{cul, fam}, models.StoryPublished},
}

// handNetwork writes the fixture to a fresh store: the network above, its
// events and its stories.
func handNetwork(t *testing.T) (*store.Store, map[string]*models.City) {
	t.Helper()
	ctx := context.Background()
	s, _ := storetest.Open(t)
	actor := models.CLIActor()
	campaign := &models.Campaign{Hashtag: "#LearnThroughLife", Name: "Learn Through Life", StartsOn: date(t, "2024-01-01 00:00")}
	must(t, s.CreateCampaign(ctx, campaign))
	other := &models.Campaign{Hashtag: "#ReadTogether", Name: "Read Together", StartsOn: date(t, "2024-01-01 00:00")}
	must(t, s.CreateCampaign(ctx, other))
	cities := map[string]*models.City{}
	partners := map[string]uint{}
	for _, c := range []struct {
		name, country string
		region        models.Region
		partners      map[string]models.Sector
	}{
		{"Agadir", "MA", models.RegionArabStates, map[string]models.Sector{"a1": models.SectorCultural, "a2": models.SectorPublic, "a3": models.SectorMedia}},
		{"Aswan", "EG", models.RegionArabStates, nil},
		{"Cork", "IE", models.RegionEuropeNA, map[string]models.Sector{"c1": models.SectorEducation, "c2": models.SectorPublic, "c3": models.SectorCivil}},
		{"Essaouira", "MA", models.RegionArabStates, map[string]models.Sector{"e1": models.SectorOtherSector}},
		{"Fez", "MA", models.RegionArabStates, map[string]models.Sector{"f1": models.SectorEducation, "f2": models.SectorEmployer}},
		{"Limerick", "IE", models.RegionEuropeNA, nil},
		{"Suzhou", "CN", models.RegionAsiaPacific, map[string]models.Sector{"z1": models.SectorCultural}},
	} {
		city := &models.City{Name: c.name, Country: c.country, Region: c.region, JoinedYear: 2020}
		must(t, s.CreateCity(ctx, actor, city, nil))
		cities[c.name] = city
		for code, sector := range c.partners {
			p := &models.Partner{CityID: city.ID, Name: c.name + " partner " + code, Sector: sector, Active: true}
			must(t, s.CreatePartner(ctx, actor, p))
			partners[code] = p.ID
		}
	}
	// The stories first: the events written after them refresh the
	// roll-ups of their days and months, where a pending or rejected story
	// waits (on the day of a cancelled or a planned event) to be miscounted.
	for i, hs := range handStories {
		st := &models.Story{
			CityID: cities[hs.city].ID, CampaignID: campaign.ID, Title: fmt.Sprintf("Story %d", i+1),
			Body: "What I learned, in a story long enough to be accepted.", Anonymous: true,
			AgeGroup: hs.age, PublicationConsent: true, GuardianConsent: hs.age == children, LearningAreas: hs.areas,
		}
		_, err := s.CreateStory(ctx, st, nil)
		must(t, err)
		// Stories are submitted now; the store has no way to date one in
		// the past, so the test writes the date itself while the story is
		// pending (counted nowhere), as the demo seed does.
		st.SubmittedAt = date(t, hs.at)
		rows, err := s.Rows(ctx, "UPDATE stories SET submitted_at = ? WHERE id = ?", st.SubmittedAt, st.ID)
		must(t, err)
		for rows.Next() {
		}
		must(t, rows.Err())
		must(t, rows.Close())
		switch hs.status {
		case models.StoryPublished:
			must(t, s.ModerateStory(ctx, actor, st, models.ActionPublish, ""))
		case models.StoryRejected:
			must(t, s.ModerateStory(ctx, actor, st, models.ActionReject, "Not about learning."))
		}
	}
	for i, he := range handEvents {
		start := date(t, he.at)
		e := &models.Event{
			CityID: cities[he.city].ID, CampaignID: campaign.ID, Title: fmt.Sprintf("Event %d", i+1),
			StartsAt: start, EndsAt: start.Add(2 * time.Hour), Format: he.format, Status: he.status,
			LearningAreas: he.areas, AgeGroups: he.reached,
		}
		if he.other {
			e.CampaignID = other.ID
		}
		if he.status == models.StatusHeld {
			e.Participants = &he.n
		}
		if he.ages != nil {
			e.AgeParticipants = map[models.AgeGroup]int{}
			for g, n := range he.ages {
				e.AgeGroups = append(e.AgeGroups, g)
				e.AgeParticipants[g] = n
			}
		}
		for _, code := range he.partners {
			e.PartnerIDs = append(e.PartnerIDs, partners[code])
		}
		must(t, s.CreateEvent(ctx, actor, e))
	}
	return s, cities
}

func date(t *testing.T, s string) time.Time {
	t.Helper()
	d, err := time.Parse("2006-01-02 15:04", s)
	must(t, err)
	return d
}

// TestBreakdownsAgainstHandCounts compares every row of every breakdown,
// and the totals, with figures counted by hand, from the roll-ups and
// from the raw tables, over all time (the totals kept per city and
// month), over whole months (the monthly roll-ups), and over a period
// that starts and ends within months (the days at its ends from the day
// roll-ups for the network and a region, from the raw tables for a city).
//
// Each line of a table is a row: the breakdown, the key, then the figures
// in the order of models.Figures() — member cities, countries, active
// cities, events held, participants, stories published, partners engaged
// — with "-" for a figure the row does not have.
func TestBreakdownsAgainstHandCounts(t *testing.T) {
	s, cities := handNetwork(t)
	reports := report.New(s)
	ctx := context.Background()
	// The period within months: the days of March from the 10th, all of
	// April, the days of May before the 20th.
	from, to := date(t, "2024-03-10 00:00"), date(t, "2024-05-20 00:00")
	for _, c := range []struct {
		name string
		q    report.Query
		want string
	}{
		{"all time", report.Query{}, `
			totals                                 7  4  6  16 1575 13  8
			by_region arab-states               4  2  3 11 1058  7  5
			by_region asia-pacific              1  1  1  0    0  2  0
			by_region europe-north-america      2  1  2  5  517  4  3
			by_country CN                       1  -  1  0    0  2  0
			by_country EG                       1  -  1  2  269  3  0
			by_country IE                       2  -  2  5  517  4  3
			by_country MA                       3  -  2  9  789  4  5
			by_city agadir                      -  -  1  6  494  4  3
			by_city aswan                       -  -  1  2  269  3  0
			by_city cork                        -  -  1  2  341  0  3
			by_city essaouira                   -  -  0  0    0  0  0
			by_city fez                         -  -  1  3  295  0  2
			by_city limerick                    -  -  1  3  176  4  0
			by_city suzhou                      -  -  1  0    0  2  0
			by_month 2024-02                    -  -  3  1   56  2  0
			by_month 2024-03                    -  -  5  3  412  4  2
			by_month 2024-04                    -  -  5  6  516  1  7
			by_month 2024-05                    -  -  4  5  494  2  3
			by_month 2024-06                    -  -  3  1   97  4  0
			by_learning_area education-system   -  -  -  4  584  2  -
			by_learning_area families-communities - - -  4  500  5  -
			by_learning_area workplace          -  -  -  3  254  2  -
			by_learning_area technologies       -  -  -  3  141  2  -
			by_learning_area quality            -  -  -  2   59  3  -
			by_learning_area culture            -  -  -  4  394  3  -
			by_age_group children               -  -  -  3  184  2  -
			by_age_group youth                  -  -  -  6  292  3  -
			by_age_group adults                 -  -  -  8  633  6  -
			by_age_group older-adults           -  -  -  4  110  2  -
			by_partner_sector public            -  -  -  3    -  -  2
			by_partner_sector civil-society     -  -  -  2    -  -  1
			by_partner_sector employer          -  -  -  2    -  -  1
			by_partner_sector education         -  -  -  3    -  -  2
			by_partner_sector cultural          -  -  -  3    -  -  1
			by_partner_sector media             -  -  -  2    -  -  1
			by_partner_sector other             -  -  -  0    -  -  0
			by_format in-person                 -  -  -  7 1081  -  -
			by_format online                    -  -  -  5  217  -  -
			by_format hybrid                    -  -  -  4  277  -  -`},
		// March to May: Limerick's events of February and June, and the
		// stories of February and June, are out.
		{"whole months", report.Query{From: date(t, "2024-03-01 00:00"), To: date(t, "2024-06-01 00:00")}, `
			totals                                 7  4  6  14 1422  7  8
			by_region arab-states               4  2  3 11 1058  3  5
			by_region asia-pacific              1  1  1  0    0  2  0
			by_region europe-north-america      2  1  2  3  364  2  3
			by_country CN                       1  -  1  0    0  2  0
			by_country EG                       1  -  1  2  269  1  0
			by_country IE                       2  -  2  3  364  2  3
			by_country MA                       3  -  2  9  789  2  5
			by_city agadir                      -  -  1  6  494  2  3
			by_city aswan                       -  -  1  2  269  1  0
			by_city cork                        -  -  1  2  341  0  3
			by_city essaouira                   -  -  0  0    0  0  0
			by_city fez                         -  -  1  3  295  0  2
			by_city limerick                    -  -  1  1   23  2  0
			by_city suzhou                      -  -  1  0    0  2  0
			by_month 2024-03                    -  -  5  3  412  4  2
			by_month 2024-04                    -  -  5  6  516  1  7
			by_month 2024-05                    -  -  4  5  494  2  3
			by_learning_area education-system   -  -  -  4  584  1  -
			by_learning_area families-communities - - -  3  444  3  -
			by_learning_area workplace          -  -  -  3  254  1  -
			by_learning_area technologies       -  -  -  2   44  1  -
			by_learning_area quality            -  -  -  2   59  2  -
			by_learning_area culture            -  -  -  4  394  1  -
			by_age_group children               -  -  -  3  184  1  -
			by_age_group youth                  -  -  -  5  195  2  -
			by_age_group adults                 -  -  -  8  633  4  -
			by_age_group older-adults           -  -  -  4  110  0  -
			by_partner_sector public            -  -  -  3    -  -  2
			by_partner_sector civil-society     -  -  -  2    -  -  1
			by_partner_sector employer          -  -  -  2    -  -  1
			by_partner_sector education         -  -  -  3    -  -  2
			by_partner_sector cultural          -  -  -  3    -  -  1
			by_partner_sector media             -  -  -  2    -  -  1
			by_partner_sector other             -  -  -  0    -  -  0
			by_format in-person                 -  -  -  6 1025  -  -
			by_format online                    -  -  -  5  217  -  -
			by_format hybrid                    -  -  -  3  180  -  -`},
		// March 10 to May 19: out are the stories of March 1 to 3 and May
		// 20, and the events of May 20 and 28.
		{"days", report.Query{From: from, To: to}, `
			totals                                 7  4  6  12 1075  3  8
			by_region arab-states               4  2  3 10 1011  1  5
			by_region asia-pacific              1  1  1  0    0  2  0
			by_region europe-north-america      2  1  2  2   64  0  3
			by_country CN                       1  -  1  0    0  2  0
			by_country EG                       1  -  1  2  269  0  0
			by_country IE                       2  -  2  2   64  0  3
			by_country MA                       3  -  2  8  742  1  5
			by_city agadir                      -  -  1  5  447  1  3
			by_city aswan                       -  -  1  2  269  0  0
			by_city cork                        -  -  1  1   41  0  3
			by_city essaouira                   -  -  0  0    0  0  0
			by_city fez                         -  -  1  3  295  0  2
			by_city limerick                    -  -  1  1   23  0  0
			by_city suzhou                      -  -  1  0    0  2  0
			by_month 2024-03                    -  -  4  3  412  1  2
			by_month 2024-04                    -  -  5  6  516  1  7
			by_month 2024-05                    -  -  2  3  147  1  2
			by_learning_area education-system   -  -  -  3  284  0  -
			by_learning_area families-communities - - -  3  444  0  -
			by_learning_area workplace          -  -  -  2  207  1  -
			by_learning_area technologies       -  -  -  2   44  1  -
			by_learning_area quality            -  -  -  2   59  0  -
			by_learning_area culture            -  -  -  4  394  1  -
			by_age_group children               -  -  -  3  184  0  -
			by_age_group youth                  -  -  -  4  195  2  -
			by_age_group adults                 -  -  -  6  586  1  -
			by_age_group older-adults           -  -  -  4  110  0  -
			by_partner_sector public            -  -  -  2    -  -  2
			by_partner_sector civil-society     -  -  -  1    -  -  1
			by_partner_sector employer          -  -  -  2    -  -  1
			by_partner_sector education         -  -  -  3    -  -  2
			by_partner_sector cultural          -  -  -  3    -  -  1
			by_partner_sector media             -  -  -  2    -  -  1
			by_partner_sector other             -  -  -  0    -  -  0
			by_format in-person                 -  -  -  4  678  -  -
			by_format online                    -  -  -  5  217  -  -
			by_format hybrid                    -  -  -  3  180  -  -`},
		{"days, a region", report.Query{Region: models.RegionArabStates, From: from, To: to}, `
			totals                                 4  2  3  10 1011  1  5
			by_region arab-states               4  2  3 10 1011  1  5
			by_country EG                       1  -  1  2  269  0  0
			by_country MA                       3  -  2  8  742  1  5
			by_city agadir                      -  -  1  5  447  1  3
			by_city aswan                       -  -  1  2  269  0  0
			by_city essaouira                   -  -  0  0    0  0  0
			by_city fez                         -  -  1  3  295  0  2
			by_month 2024-03                    -  -  3  3  412  0  2
			by_month 2024-04                    -  -  2  4  452  0  4
			by_month 2024-05                    -  -  2  3  147  1  2
			by_learning_area education-system   -  -  -  3  284  0  -
			by_learning_area families-communities - - -  3  444  0  -
			by_learning_area workplace          -  -  -  2  207  0  -
			by_learning_area technologies       -  -  -  2   44  1  -
			by_learning_area quality            -  -  -  1   18  0  -
			by_learning_area culture            -  -  -  2  330  0  -
			by_age_group children               -  -  -  3  184  0  -
			by_age_group youth                  -  -  -  4  195  1  -
			by_age_group adults                 -  -  -  5  545  0  -
			by_age_group older-adults           -  -  -  3   87  0  -
			by_partner_sector public            -  -  -  1    -  -  1
			by_partner_sector civil-society     -  -  -  0    -  -  0
			by_partner_sector employer          -  -  -  2    -  -  1
			by_partner_sector education         -  -  -  2    -  -  1
			by_partner_sector cultural          -  -  -  3    -  -  1
			by_partner_sector media             -  -  -  2    -  -  1
			by_partner_sector other             -  -  -  0    -  -  0
			by_format in-person                 -  -  -  4  678  -  -
			by_format online                    -  -  -  4  194  -  -
			by_format hybrid                    -  -  -  2  139  -  -`},
		{"days, a city", report.Query{CityID: cities["Agadir"].ID, From: from, To: to}, `
			totals                                 1  1  1   5  447  1  3
			by_region arab-states               1  1  1  5  447  1  3
			by_country MA                       1  -  1  5  447  1  3
			by_city agadir                      -  -  1  5  447  1  3
			by_month 2024-03                    -  -  1  1   64  0  1
			by_month 2024-04                    -  -  1  2  245  0  2
			by_month 2024-05                    -  -  1  2  138  1  2
			by_learning_area education-system   -  -  -  1   64  0  -
			by_learning_area families-communities - - -  2  184  0  -
			by_learning_area workplace          -  -  -  0    0  0  -
			by_learning_area technologies       -  -  -  1   35  1  -
			by_learning_area quality            -  -  -  1   18  0  -
			by_learning_area culture            -  -  -  2  330  0  -
			by_age_group children               -  -  -  2   74  0  -
			by_age_group youth                  -  -  -  2   75  1  -
			by_age_group adults                 -  -  -  2  220  0  -
			by_age_group older-adults           -  -  -  2   78  0  -
			by_partner_sector public            -  -  -  1    -  -  1
			by_partner_sector civil-society     -  -  -  0    -  -  0
			by_partner_sector employer          -  -  -  0    -  -  0
			by_partner_sector education         -  -  -  0    -  -  0
			by_partner_sector cultural          -  -  -  3    -  -  1
			by_partner_sector media             -  -  -  2    -  -  1
			by_partner_sector other             -  -  -  0    -  -  0
			by_format in-person                 -  -  -  2  330  -  -
			by_format online                    -  -  -  2   53  -  -
			by_format hybrid                    -  -  -  1   64  -  -`},
	} {
		for _, engine := range []struct {
			name    string
			compute func(context.Context, report.Query) (*models.Report, error)
		}{{"roll-ups", reports.Compute}, {"raw", reports.FromRaw}} {
			t.Run(c.name+"/"+engine.name, func(t *testing.T) {
				r, err := engine.compute(ctx, c.q)
				must(t, err)
				wantTable(t, r, c.want)
			})
		}
	}
}

// wantTable fails the test where the report's rows differ from a table
// written as TestBreakdownsAgainstHandCounts's are, breakdown by
// breakdown. The breakdowns are those of the report's JSON, so a new one
// fails until its rows are written down.
func wantTable(t *testing.T, r *models.Report, want string) {
	t.Helper()
	got := tableOf(t, r)
	wants := map[string][]string{}
	for _, line := range strings.Split(strings.TrimSpace(want), "\n") {
		fields := strings.Fields(line)
		wants[fields[0]] = append(wants[fields[0]], strings.Join(fields, " "))
	}
	names := map[string]bool{}
	for name := range got {
		names[name] = true
	}
	for name := range wants {
		names[name] = true
	}
	for _, name := range slices.Sorted(maps.Keys(names)) {
		if !slices.Equal(got[name], wants[name]) {
			t.Errorf("%s:\ngot\n\t%s\nwant\n\t%s", name, strings.Join(got[name], "\n\t"), strings.Join(wants[name], "\n\t"))
		}
	}
}

// tableOf writes a report as the tables of TestBreakdownsAgainstHandCounts,
// by breakdown name (the report's JSON name, "totals" for the totals).
func tableOf(t *testing.T, r *models.Report) map[string][]string {
	t.Helper()
	b, err := json.Marshal(r.Breakdowns)
	must(t, err)
	var breakdowns map[string][]models.Row
	must(t, json.Unmarshal(b, &breakdowns))
	line := func(name, key string, value func(models.Figure) *int64) string {
		fields := []string{name}
		if key != "" {
			fields = append(fields, key)
		}
		for _, f := range models.Figures() {
			if v := value(f); v != nil {
				fields = append(fields, strconv.FormatInt(*v, 10))
			} else {
				fields = append(fields, "-")
			}
		}
		return strings.Join(fields, " ")
	}
	out := map[string][]string{"totals": {line("totals", "", func(f models.Figure) *int64 {
		v := r.Totals.Value(f)
		return &v
	})}}
	for name, rows := range breakdowns {
		for _, row := range rows {
			out[name] = append(out[name], line(name, row.Key, row.Value))
		}
	}
	return out
}
