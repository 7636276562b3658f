package models

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"
)

// ErrNotEmpty means demo data was asked for on a database that has data.
var ErrNotEmpty = errors.New("database is not empty")

// DemoPassword is the password of every demo login.
const DemoPassword = "learnthroughlife"

// DemoLogin is one of the demo accounts.
type DemoLogin struct {
	Email, Role, Cities string
}

// DemoLogins lists the demo accounts that SeedDemo creates.
func DemoLogins() []DemoLogin {
	return []DemoLogin{
		{"staff@example.org", "UNESCO staff", "all cities"},
		{"agadir@example.org", "coordinator", "Agadir"},
		{"fez@example.org", "coordinator", "Fez"},
	}
}

type demoCity struct {
	name, country string
	region        Region
	joined        int
	coLead        bool
}

// demoCities are real GNLC members: the seven Moroccan cities of the
// campaign and members from every UNESCO region.
func demoCities() []demoCity {
	return []demoCity{
		{"Agadir", "MA", RegionArabStates, 2024, true},
		{"Fez", "MA", RegionArabStates, 2024, true},
		{"Essaouira", "MA", RegionArabStates, 2024, true},
		{"Marrakech", "MA", RegionArabStates, 2022, true},
		{"Ifrane", "MA", RegionArabStates, 2022, true},
		{"Chefchaouen", "MA", RegionArabStates, 2020, true},
		{"Benguerir", "MA", RegionArabStates, 2022, true},
		{"Aswan", "EG", RegionArabStates, 2016, false},
		{"Giza", "EG", RegionArabStates, 2016, false},
		{"Ibadan", "NG", RegionAfrica, 2016, false},
		{"Hangzhou", "CN", RegionAsiaPacific, 2015, false},
		{"Okayama", "JP", RegionAsiaPacific, 2016, false},
		{"Yeosu", "KR", RegionAsiaPacific, 2016, false},
		{"Surabaya", "ID", RegionAsiaPacific, 2019, false},
		{"Melton", "AU", RegionAsiaPacific, 2016, false},
		{"Cork", "IE", RegionEuropeNA, 2015, false},
		{"Espoo", "FI", RegionEuropeNA, 2016, false},
		{"Heraklion", "GR", RegionEuropeNA, 2016, false},
		{"Sønderborg", "DK", RegionEuropeNA, 2017, false},
		{"Medellín", "CO", RegionLatinAmerica, 2016, false},
		{"Villa María", "AR", RegionLatinAmerica, 2016, false},
	}
}

type demoPartnerKind struct {
	pattern string
	sector  Sector
}

func demoPartnerKinds() []demoPartnerKind {
	return []demoPartnerKind{
		{"%s Municipal Library", SectorCultural},
		{"University of %s", SectorEducation},
		{"%s Regional Academy of Education", SectorPublic},
		{"%s Women's Cooperative", SectorCivil},
		{"%s Chamber of Commerce", SectorEmployer},
		{"Radio %s", SectorMedia},
		{"%s Youth Association", SectorCivil},
		{"%s Vocational Training Centre", SectorEducation},
	}
}

type demoEvent struct {
	title string
	areas []LearningArea
	ages  []AgeGroup
}

func demoEvents() []demoEvent {
	return []demoEvent{
		{"Family reading afternoon", []LearningArea{AreaFamilies, AreaCulture}, []AgeGroup{AgeChildren, AgeAdults}},
		{"Digital skills for seniors", []LearningArea{AreaTechnologies}, []AgeGroup{AgeOlderAdults}},
		{"Literacy circle for women", []LearningArea{AreaFamilies, AreaEducationSystem}, []AgeGroup{AgeAdults}},
		{"Learning festival in the medina", []LearningArea{AreaCulture, AreaFamilies}, []AgeGroup{AgeChildren, AgeYouth, AgeAdults, AgeOlderAdults}},
		{"Apprenticeship open day", []LearningArea{AreaWorkplace}, []AgeGroup{AgeYouth}},
		{"Teachers' workshop on active learning", []LearningArea{AreaQuality, AreaEducationSystem}, []AgeGroup{AgeAdults}},
		{"Coding club launch", []LearningArea{AreaTechnologies, AreaEducationSystem}, []AgeGroup{AgeChildren, AgeYouth}},
		{"Heritage crafts masterclass", []LearningArea{AreaCulture, AreaWorkplace}, []AgeGroup{AgeYouth, AgeAdults}},
		{"Second-chance school information evening", []LearningArea{AreaEducationSystem}, []AgeGroup{AgeYouth, AgeAdults}},
		{"Online course on starting a small business", []LearningArea{AreaWorkplace, AreaTechnologies}, []AgeGroup{AgeAdults}},
		{"Storytelling with grandparents", []LearningArea{AreaFamilies, AreaCulture}, []AgeGroup{AgeChildren, AgeOlderAdults}},
		{"Learning city forum", []LearningArea{AreaQuality}, []AgeGroup{AgeAdults}},
	}
}

// SeedDemo loads the demo cities, logins, partners and events into an empty
// database, spread over the two years before now. It refuses with
// ErrNotEmpty when any city exists.
func (s *Store) SeedDemo(ctx context.Context, now time.Time) error {
	var n int64
	if err := s.db.WithContext(ctx).Model(&City{}).Count(&n).Error; err != nil {
		return err
	}
	if n > 0 {
		return ErrNotEmpty
	}
	rng := rand.New(rand.NewPCG(2024, 356))
	actor := Actor{Email: ActorDemo}
	campaignStart := time.Date(now.Year()-2, now.Month(), 1, 0, 0, 0, 0, time.UTC)
	campaigns := []*Campaign{
		{Hashtag: "#LearnThroughLife", Name: "Learn Through Life", StartsOn: campaignStart},
		{Hashtag: "#ImALifelongLearner", Name: "I'm a Lifelong Learner", StartsOn: campaignStart.AddDate(-3, 0, 0), EndsOn: ptr(campaignStart.AddDate(0, 0, -1))},
	}
	for _, c := range campaigns {
		if err := s.CreateCampaign(ctx, c); err != nil {
			return fmt.Errorf("seed campaign: %w", err)
		}
	}
	cityIDs := map[string]uint{}
	for _, dc := range demoCities() {
		c := &City{Name: dc.name, Country: dc.country, Region: dc.region, JoinedYear: dc.joined, CoLead: dc.coLead}
		if err := s.CreateCity(ctx, actor, c, nil); err != nil {
			return fmt.Errorf("seed city %s: %w", dc.name, err)
		}
		cityIDs[c.Slug] = c.ID
		if err := s.seedCityActivity(ctx, actor, rng, c, campaigns[0].ID, now); err != nil {
			return fmt.Errorf("seed %s: %w", dc.name, err)
		}
		if err := s.seedCityStories(ctx, actor, rng, c, campaigns[0].ID); err != nil {
			return fmt.Errorf("seed stories of %s: %w", dc.name, err)
		}
	}
	users := []NewUser{
		{Email: "staff@example.org", Name: "Amina Staff (UNESCO UIL)", Role: RoleStaff},
		{Email: "agadir@example.org", Name: "Youssef Amrani", Role: RoleCoordinator, CityIDs: []uint{cityIDs["agadir"]}},
		{Email: "fez@example.org", Name: "Salma Bennani", Role: RoleCoordinator, CityIDs: []uint{cityIDs["fez"]}},
	}
	for _, nu := range users {
		nu.Password = DemoPassword
		if _, err := s.CreateUser(ctx, actor, nu); err != nil {
			return fmt.Errorf("seed user %s: %w", nu.Email, err)
		}
	}
	return nil
}

// seedCityActivity gives a city a few partners and events over two years.
func (s *Store) seedCityActivity(ctx context.Context, actor Actor, rng *rand.Rand, c *City, campaignID uint, now time.Time) error {
	var partnerIDs []uint
	kinds := demoPartnerKinds()
	for _, k := range rng.Perm(len(kinds))[:3+rng.IntN(4)] {
		kind := kinds[k]
		p := &Partner{
			CityID: c.ID, Name: fmt.Sprintf(kind.pattern, c.Name), Sector: kind.sector,
			ContactName: "Programme officer", ContactEmail: fmt.Sprintf("contact+%d@example.org", k+1),
			Active: rng.IntN(8) > 0,
		}
		if err := s.CreatePartner(ctx, actor, p); err != nil {
			return err
		}
		partnerIDs = append(partnerIDs, p.ID)
	}
	titles := demoEvents()
	for i := range 6 + rng.IntN(7) {
		t := titles[rng.IntN(len(titles))]
		// From two years ago to two months ahead, on the hour.
		start := now.Add(-time.Duration(rng.IntN(24*730)) * time.Hour).Add(time.Duration(i%3) * 24 * 20 * time.Hour)
		start = start.Truncate(time.Hour)
		e := &Event{
			CityID: c.ID, CampaignID: campaignID,
			Title:         t.title,
			Description:   fmt.Sprintf("Part of %s's #LearnThroughLife programme, open to everyone.", c.Name),
			StartsAt:      start,
			EndsAt:        start.Add(time.Duration(2+rng.IntN(4)) * time.Hour),
			Venue:         fmt.Sprintf("%s city centre", c.Name),
			Format:        EventFormats()[rng.IntN(3)],
			LearningAreas: t.areas,
			AgeGroups:     t.ages,
		}
		if e.Format == FormatOnline {
			e.Venue = ""
		}
		switch {
		case start.After(now):
			e.Status = StatusPlanned
		case rng.IntN(10) == 0:
			e.Status = StatusCancelled
		default:
			e.Status = StatusHeld
			e.Participants = ptr(15 + rng.IntN(300))
		}
		for _, pid := range partnerIDs {
			if rng.IntN(3) == 0 {
				e.PartnerIDs = append(e.PartnerIDs, pid)
			}
		}
		if err := s.CreateEvent(ctx, actor, e); err != nil {
			return err
		}
	}
	return nil
}

type demoStory struct {
	title, body, name string
	age               AgeGroup
	minor             bool
	areas             []LearningArea
}

func demoStories() []demoStory {
	return []demoStory{
		{"I learned to read at 54", "For years I hid that I could not read the letters from school. The literacy circle at the library met every Tuesday evening, and after eight months I read a whole story to my granddaughter.", "Fatima Zahra", AgeOlderAdults, false, []LearningArea{AreaFamilies, AreaEducationSystem}},
		{"From apprentice to workshop owner", "The vocational centre paired me with a master craftsman in the medina. Two years later I opened my own leather workshop and now I train two apprentices myself.", "Karim", AgeAdults, false, []LearningArea{AreaWorkplace, AreaCulture}},
		{"Coding club changed my summer", "I did not know what a loop was. At the coding club we built a small game about our city's history and presented it at the learning festival.", "Yasmine Alaoui", AgeYouth, true, []LearningArea{AreaTechnologies}},
		{"Video calls with my grandchildren", "At the digital skills course for seniors I learned to use a smartphone. Now I see my grandchildren abroad every Sunday and I help my neighbours too.", "", AgeOlderAdults, false, []LearningArea{AreaTechnologies, AreaFamilies}},
		{"Learning Tamazight songs with my daughter", "Every Saturday the community centre holds a singing workshop for parents and children. We learn songs my mother used to sing, and my daughter teaches me the new words.", "Hassan", AgeAdults, false, []LearningArea{AreaCulture, AreaFamilies}},
		{"A second chance at school", "I left school at fifteen. The second-chance programme helped me finish my diploma in the evenings while I worked. I start a nursing course in September.", "Samira B.", AgeAdults, false, []LearningArea{AreaEducationSystem, AreaWorkplace}},
		{"Our class planted a learning garden", "We planted herbs and vegetables behind our school and learned about water and seasons. The older people of our street came to teach us.", "Adam", AgeChildren, true, []LearningArea{AreaFamilies, AreaQuality}},
		{"Teaching is learning twice", "As a volunteer tutor at the library I help young people with maths. I discovered that explaining something is the best way to understand it.", "Mehdi", AgeAdults, false, []LearningArea{AreaQuality, AreaCulture}},
	}
}

// seedCityStories gives a city three to six stories in every state:
// published (one featured), pending, rejected.
func (s *Store) seedCityStories(ctx context.Context, actor Actor, rng *rand.Rand, c *City, campaignID uint) error {
	stories := demoStories()
	for i, k := range rng.Perm(len(stories))[:3+rng.IntN(4)] {
		d := stories[k]
		st := &Story{
			CityID: c.ID, CampaignID: campaignID, Title: d.title, Body: d.body,
			DisplayName: d.name, Anonymous: d.name == "", AgeGroup: d.age, Minor: d.minor,
			PublicationConsent: true, GuardianConsent: d.minor, LearningAreas: d.areas,
		}
		if _, err := s.CreateStory(ctx, st, nil); err != nil {
			return err
		}
		// Spread submissions over the last months; pending ones are recent.
		ago := time.Duration(14+rng.IntN(400)) * 24 * time.Hour
		if i%4 == 2 {
			ago = time.Duration(2+rng.IntN(240)) * time.Hour
		}
		if err := s.db.WithContext(ctx).Model(&Story{}).Where("id = ?", st.ID).Update("submitted_at", st.SubmittedAt.Add(-ago)).Error; err != nil {
			return err
		}
		st.SubmittedAt = st.SubmittedAt.Add(-ago)
		switch i % 4 {
		case 0, 1:
			if err := s.ModerateStory(ctx, actor, st, ActionPublish, ""); err != nil {
				return err
			}
			if i == 0 {
				st.Status = StoryPublished
				if err := s.ModerateStory(ctx, actor, st, ActionFeature, ""); err != nil {
					return err
				}
			}
		case 3:
			if err := s.ModerateStory(ctx, actor, st, ActionReject, "Please tell us which city programme this was part of, then submit it again."); err != nil {
				return err
			}
		}
	}
	return nil
}

func ptr[T any](v T) *T { return &v }
