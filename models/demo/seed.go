// Package demo fills an empty database: Seed writes the demo network
// (real member cities with invented activity, in their languages, and
// three logins), SeedScale and SeedScalePostgres a generated network of
// the whole network's size for the benchmarks. It writes through the
// store's methods, and the scale rows through its bulk loader.
package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/unesco-gnlc/learnthroughlife/models"
	"github.com/unesco-gnlc/learnthroughlife/models/store"
)

// Password is the password of every demo login.
const Password = "learnthroughlife"

// Login is one of the demo accounts.
type Login struct {
	Email, Role, Cities string
}

// Logins lists the demo accounts that Seed creates.
func Logins() []Login {
	return []Login{
		{"staff@example.org", "UNESCO staff", "all cities"},
		{"agadir@example.org", "coordinator", "Agadir"},
		{"fez@example.org", "coordinator", "Fez"},
	}
}

// demoPartnerKind is a kind of partner a learning city works with, with
// its name's pattern in each language of the demo cities (%s: the city).
type demoPartnerKind struct {
	sector models.Sector
	names  map[string]string
}

func demoPartnerKinds() []demoPartnerKind {
	return []demoPartnerKind{
		{models.SectorCultural, map[string]string{
			"en": "%s Municipal Library", "fr": "Bibliothèque municipale de %s", "ar": "مكتبة %s البلدية", "es": "Biblioteca Municipal de %s",
			"de": "Städtische Bibliotheken %s", "zh": "%s市图书馆", "ko": "%s 공공도서관", "th": "ห้องสมุดเมือง%s", "vi": "Thư viện %s", "ja": "%s市立図書館",
		}},
		{models.SectorEducation, map[string]string{
			"en": "University of %s", "fr": "Université de %s", "ar": "جامعة %s", "es": "Universidad de %s",
			"de": "Hochschule %s", "zh": "%s大学", "ko": "%s 대학교", "th": "มหาวิทยาลัย%s", "vi": "Trường Đại học %s", "ja": "%s大学",
		}},
		{models.SectorPublic, map[string]string{
			"en": "%s Education Office", "fr": "Direction provinciale de l'éducation de %s", "ar": "المديرية الإقليمية للتربية الوطنية ب%s", "es": "Secretaría de Educación de %s",
			"de": "Amt für Schulen %s", "zh": "%s市教育局", "ko": "%s 교육지원청", "th": "สำนักงานศึกษาธิการจังหวัด%s", "vi": "Sở Giáo dục và Đào tạo %s", "ja": "%s市教育委員会",
		}},
		{models.SectorCivil, map[string]string{
			"en": "%s Women's Cooperative", "fr": "Coopérative féminine de %s", "ar": "تعاونية نساء %s", "es": "Cooperativa de Mujeres de %s",
			"de": "Frauenverein %s", "zh": "%s妇女合作社", "ko": "%s 여성협동조합", "th": "กลุ่มสตรี%s", "vi": "Hợp tác xã phụ nữ %s", "ja": "%s女性協同組合",
		}},
		{models.SectorEmployer, map[string]string{
			"en": "%s Chamber of Commerce", "fr": "Chambre de commerce de %s", "ar": "غرفة التجارة والصناعة ب%s", "es": "Cámara de Comercio de %s",
			"de": "Industrie- und Handelskammer %s", "zh": "%s市商会", "ko": "%s 상공회의소", "th": "หอการค้า%s", "vi": "Hiệp hội Doanh nghiệp %s", "ja": "%s商工会議所",
		}},
		{models.SectorMedia, map[string]string{
			"en": "Radio %s", "fr": "Radio %s", "ar": "إذاعة %s", "es": "Radio %s",
			"de": "Radio %s", "zh": "%s广播电台", "ko": "%s 라디오", "th": "สถานีวิทยุ%s", "vi": "Đài Phát thanh %s", "ja": "%sラジオ",
		}},
		{models.SectorCivil, map[string]string{
			"en": "%s Youth Association", "fr": "Association des jeunes de %s", "ar": "جمعية شباب %s", "es": "Asociación Juvenil de %s",
			"de": "Jugendring %s", "zh": "%s青年协会", "ko": "%s 청소년단체협의회", "th": "สภาเด็กและเยาวชน%s", "vi": "Đoàn Thanh niên %s", "ja": "%s青少年協会",
		}},
		{models.SectorEducation, map[string]string{
			"en": "%s Vocational Training Centre", "fr": "Centre de formation professionnelle de %s", "ar": "مركز التكوين المهني ب%s", "es": "Centro de Formación Profesional de %s",
			"de": "Berufsschulzentrum %s", "zh": "%s职业技术学院", "ko": "%s 직업훈련센터", "th": "วิทยาลัยอาชีวศึกษา%s", "vi": "Trường Cao đẳng Nghề %s", "ja": "%s職業訓練校",
		}},
	}
}

// Seed loads the demo cities, logins, partners, events and stories into
// s, an empty database, spread over the two years before now. It refuses
// with store.ErrNotEmpty when any city exists.
func Seed(ctx context.Context, s *store.Store, now time.Time) error {
	has, err := s.HasCities(ctx)
	if err != nil {
		return err
	}
	if has {
		return store.ErrNotEmpty
	}
	rng := rand.New(rand.NewPCG(2024, 356))
	actor := models.Actor{Email: models.ActorDemo}
	campaignStart := time.Date(now.Year()-2, now.Month(), 1, 0, 0, 0, 0, time.UTC)
	campaigns := []*models.Campaign{
		{Hashtag: "#LearnThroughLife", Name: "Learn Through Life", StartsOn: campaignStart,
			Description: "Learning cities show what learning throughout life looks like: events for every age, the partners who make them happen, and learners' own stories.",
			Texts: map[string]models.CampaignText{
				"fr": {Name: "Apprendre tout au long de la vie", Description: "Les villes apprenantes montrent ce qu'est l'apprentissage tout au long de la vie : des événements pour tous les âges, les partenaires qui les rendent possibles et les récits des apprenants."},
				"es": {Name: "Aprender a lo largo de la vida", Description: "Las ciudades del aprendizaje muestran cómo es aprender a lo largo de la vida: eventos para todas las edades, los socios que los hacen posibles y las historias de quienes aprenden."},
				"ar": {Name: "التعلم مدى الحياة", Description: "تُظهر مدن التعلم معنى التعلم مدى الحياة: فعاليات لكل الأعمار، والشركاء الذين يجعلونها ممكنة، وقصص المتعلمين أنفسهم."},
			}},
		{Hashtag: "#ImALifelongLearner", Name: "I'm a Lifelong Learner", StartsOn: campaignStart.AddDate(-3, 0, 0), EndsOn: ptr(campaignStart.AddDate(0, 0, -1)),
			Texts: map[string]models.CampaignText{
				"fr": {Name: "J'apprends tout au long de la vie"},
				"es": {Name: "Aprendo a lo largo de la vida"},
				"ar": {Name: "أنا متعلم مدى الحياة"},
			}},
	}
	for _, c := range campaigns {
		if err := s.CreateCampaign(ctx, c); err != nil {
			return fmt.Errorf("seed campaign: %w", err)
		}
	}
	cityIDs := map[string]uint{}
	for _, dc := range demoCities() {
		c := &models.City{Name: dc.name, Country: dc.country, Region: dc.region, JoinedYear: dc.joined, CoLead: dc.coLead, TimeZone: dc.zone}
		if p, ok := demoPoints[dc.name]; ok {
			c.Latitude, c.Longitude = &p[0], &p[1]
		}
		c.Names = dc.otherNames()
		if err := s.CreateCity(ctx, actor, c, nil); err != nil {
			return fmt.Errorf("seed city %s: %w", dc.name, err)
		}
		cityIDs[c.Slug] = c.ID
		if err := seedCityActivity(ctx, s, actor, rng, c, dc, campaigns[0].ID, now); err != nil {
			return fmt.Errorf("seed %s: %w", dc.name, err)
		}
		if err := seedCityStories(ctx, s, actor, rng, c, dc.stories, campaigns[0].ID); err != nil {
			return fmt.Errorf("seed stories of %s: %w", dc.name, err)
		}
	}
	// The cities that co-lead the campaign lead the running one.
	for _, dc := range demoCities() {
		if dc.coLead {
			campaigns[0].CoLeads = append(campaigns[0].CoLeads, cityIDs[models.Slugify(dc.name)])
		}
	}
	if err := s.SetCoLeads(ctx, campaigns[0].ID, campaigns[0].CoLeads); err != nil {
		return fmt.Errorf("seed co-leads: %w", err)
	}
	users := []models.NewUser{
		{Email: "staff@example.org", Name: "Amina Staff (UNESCO UIL)", Role: models.RoleStaff},
		{Email: "agadir@example.org", Name: "Youssef Amrani", Role: models.RoleCoordinator, CityIDs: []uint{cityIDs["agadir"]}},
		{Email: "fez@example.org", Name: "Salma Bennani", Role: models.RoleCoordinator, CityIDs: []uint{cityIDs["fez"]}},
	}
	for _, nu := range users {
		nu.Password = Password
		if _, err := s.CreateUser(ctx, actor, nu); err != nil {
			return fmt.Errorf("seed user %s: %w", nu.Email, err)
		}
	}
	return nil
}

// seedCityActivity gives a city a few partners and events over two years:
// events in its languages, in daytime on its own clock.
func seedCityActivity(ctx context.Context, s *store.Store, actor models.Actor, rng *rand.Rand, c *models.City, dc demoCity, campaignID uint, now time.Time) error {
	var partnerIDs []uint
	kinds := demoPartnerKinds()
	for _, k := range rng.Perm(len(kinds))[:3+rng.IntN(4)] {
		kind := kinds[k]
		lang := dc.pickLang(rng)
		p := &models.Partner{
			CityID: c.ID, Name: fmt.Sprintf(kind.names[lang], dc.localName(lang)), Sector: kind.sector,
			ContactName: "Programme officer", ContactEmail: fmt.Sprintf("contact+%d@example.org", k+1),
			Active: rng.IntN(8) > 0, Lang: lang,
		}
		if err := s.CreatePartner(ctx, actor, p); err != nil {
			return err
		}
		partnerIDs = append(partnerIDs, p.ID)
	}
	loc := c.Location()
	events := demoEventKinds()
	descriptions := demoEventDescriptions()
	order := rng.Perm(len(events))
	for i := range 6 + rng.IntN(7) {
		kind := events[order[i%len(order)]]
		lang := dc.pickLang(rng)
		// The first two in the next two months, the others in the two
		// years before; a morning, afternoon or early evening start on
		// the city's clock.
		day := now.In(loc).AddDate(0, 0, -1-rng.IntN(730))
		if i < 2 {
			day = now.In(loc).AddDate(0, 0, 3+rng.IntN(58))
		}
		hours := []int{9, 10, 11, 14, 15, 16, 17, 18}
		start := time.Date(day.Year(), day.Month(), day.Day(), hours[rng.IntN(len(hours))], 30*rng.IntN(2), 0, 0, loc)
		e := &models.Event{
			CityID: c.ID, CampaignID: campaignID,
			Title:         kind.titles[lang],
			Description:   fmt.Sprintf(descriptions[lang][rng.IntN(2)], dc.localName(lang)),
			Lang:          lang,
			StartsAt:      start,
			EndsAt:        start.Add(time.Duration(3+rng.IntN(4)) * 30 * time.Minute),
			Venue:         dc.venues[rng.IntN(len(dc.venues))],
			Format:        models.EventFormats()[rng.IntN(3)],
			LearningAreas: kind.areas,
			AgeGroups:     kind.ages,
		}
		if e.Format == models.FormatOnline {
			e.Venue = ""
		}
		switch {
		case start.After(now):
			e.Status = models.StatusPlanned
		case rng.IntN(10) == 0:
			e.Status = models.StatusCancelled
		default:
			e.Status = models.StatusHeld
			e.Participants = ptr(15 + rng.IntN(300))
			e.AgeParticipants = models.SplitParticipants(*e.Participants, e.AgeGroups)
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

// seedCityStories stores a city's own stories, in the states their order
// gives: published (the first featured), published, pending, rejected,
// and from the fifth on the same again.
func seedCityStories(ctx context.Context, s *store.Store, actor models.Actor, rng *rand.Rand, c *models.City, stories []demoStory, campaignID uint) error {
	for i, d := range stories {
		st := &models.Story{
			CityID: c.ID, CampaignID: campaignID, Title: d.title, Body: d.body, Lang: d.lang,
			DisplayName: d.name, Anonymous: d.name == "", AgeGroup: d.age, Minor: d.minor,
			PublicationConsent: true, GuardianConsent: d.minor, LearningAreas: d.areas,
		}
		if _, err := s.CreateStory(ctx, st, nil); err != nil {
			return err
		}
		// Spread submissions over the last months, the Moroccan cities'
		// (which lead the campaign's face) the most recent; pending ones
		// are days old.
		days := 400
		if c.Country == "MA" {
			days = 120
		}
		ago := time.Duration(14+rng.IntN(days)) * 24 * time.Hour
		if i%4 == 2 {
			ago = time.Duration(2+rng.IntN(240)) * time.Hour
		}
		if err := s.BackdateStory(ctx, st.ID, store.StoryDates{Submitted: st.SubmittedAt.Add(-ago)}); err != nil {
			return err
		}
		st.SubmittedAt = st.SubmittedAt.Add(-ago)
		switch i % 4 {
		case 0, 1:
			if err := s.ModerateStory(ctx, actor, st, models.ActionPublish, ""); err != nil {
				return err
			}
			// Published a day or three after it was sent, not all today.
			decided := st.SubmittedAt.Add(time.Duration(20+rng.IntN(52)) * time.Hour)
			if err := s.BackdateStory(ctx, st.ID, store.StoryDates{Published: decided, Decided: decided}); err != nil {
				return err
			}
			if i == 0 {
				st.Status = models.StoryPublished
				if err := s.ModerateStory(ctx, actor, st, models.ActionFeature, ""); err != nil {
					return err
				}
			}
		case 3:
			if err := s.ModerateStory(ctx, actor, st, models.ActionReject, demoRejectReason(d.lang)); err != nil {
				return err
			}
		}
	}
	return nil
}

// demoRejectReason is a moderator's reason, in the story's language.
func demoRejectReason(lang string) string {
	switch lang {
	case "fr":
		return "Merci de préciser dans quel programme de la ville cela s'est passé, puis de renvoyer votre histoire."
	case "ar":
		return "يرجى أن تذكر في أي برنامج من برامج المدينة جرى ذلك، ثم أرسل قصتك من جديد."
	}
	return "Please tell us which city programme this was part of, then submit it again."
}

func ptr[T any](v T) *T { return &v }
