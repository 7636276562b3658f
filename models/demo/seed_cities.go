package demo

import (
	"maps"
	"math/rand/v2"
	"slices"

	"github.com/unesco-gnlc/learnthroughlife/models"
)

// demoCity is a real member city of the network with invented activity:
// its time zone, the languages its people write in (the first is the
// one its events use most), its venues and its learners' stories.
type demoCity struct {
	name, country string
	region        models.Region
	joined        int
	coLead        bool
	zone          string
	langs         []string
	// local is the city's name in its languages, for event descriptions.
	local   map[string]string
	venues  []string
	stories []demoStory
}

// pickLang is the language of one of the city's records: mostly its
// first, sometimes one of its others.
func (dc demoCity) pickLang(rng *rand.Rand) string {
	if len(dc.langs) > 1 && rng.IntN(3) == 0 {
		return dc.langs[1+rng.IntN(len(dc.langs)-1)]
	}
	return dc.langs[0]
}

// localName is the city's name in lang.
func (dc demoCity) localName(lang string) string {
	if n, ok := dc.local[lang]; ok {
		return n
	}
	return dc.name
}

// otherNames are the city's local names that differ from its own, by
// language, for the searches (فاس, Fès for Fez).
func (dc demoCity) otherNames() []models.CityName {
	names := []models.CityName{}
	for _, lang := range slices.Sorted(maps.Keys(dc.local)) {
		if n := dc.local[lang]; n != dc.name {
			names = append(names, models.CityName{Lang: lang, Name: n})
		}
	}
	return names
}

// demoStory is one learner's story; each belongs to one city only.
type demoStory struct {
	lang, title, body, name string
	age                     models.AgeGroup
	minor                   bool
	areas                   []models.LearningArea
}

// demoCities are the seven Moroccan member cities, the other cities of the
// 2024 cohort that co-lead the campaign, and earlier members from every
// UNESCO region. A Moroccan city's stories come in Arabic, French and
// English, in the order moderation leaves them: published (the first
// featured), published, pending, rejected, published. Elsewhere both are
// published.
func demoCities() []demoCity {
	return []demoCity{
		{
			name: "Agadir", country: "MA", region: models.RegionArabStates, joined: 2024, coLead: true, zone: "Africa/Casablanca",
			langs: []string{"fr", "ar", "en"}, local: map[string]string{"ar": "أكادير"},
			venues: []string{"Médiathèque municipale d'Agadir", "Maison des jeunes de Talborjt"},
			stories: []demoStory{
				{"ar", "تعاونية الأركان علّمتني الحساب", "انضممت إلى تعاونية نسائية لإنتاج زيت الأركان قرب أكادير. في دروس محو الأمية المسائية تعلمت قراءة الفواتير وحساب الأرباح، واليوم أنا أمينة صندوق التعاونية وأدرّب زميلاتي الجديدات.", "رقية أيت باها", models.AgeAdults, false, []models.LearningArea{models.AreaWorkplace, models.AreaFamilies}},
				{"fr", "Du port de pêche au brevet de mécanicien", "Mon père était pêcheur, moi aussi. Grâce aux cours du soir du centre de formation maritime, j'ai obtenu mon brevet de mécanicien. Aujourd'hui je répare les moteurs des barques du port et j'explique aux jeunes comment les entretenir.", "Brahim O.", models.AgeAdults, false, []models.LearningArea{models.AreaWorkplace, models.AreaEducationSystem}},
				{"fr", "Mes premiers courriels à 60 ans", "À la maison de quartier, un jeune bénévole m'a appris à envoyer des courriels et à faire mes démarches en ligne. Je n'ai plus besoin de demander à mes enfants.", "Mohamed", models.AgeOlderAdults, false, []models.LearningArea{models.AreaTechnologies}},
				{"ar", "نادي القراءة في حي الداخلة", "كل يوم سبت نجتمع في دار الشباب لقراءة رواية واحدة ومناقشتها. بدأنا خمسة أشخاص والآن نحن عشرون، من تلاميذ الثانوية إلى المتقاعدين.", "", models.AgeAdults, false, []models.LearningArea{models.AreaCulture, models.AreaFamilies}},
				{"en", "Guiding visitors in three languages", "I worked at a hotel reception on the seafront and spoke only a little English. The free language evenings at the municipal library gave me confidence, and last spring I passed the exam to become a licensed guide for the Souss region.", "Nadia", models.AgeYouth, false, []models.LearningArea{models.AreaWorkplace, models.AreaCulture}},
			},
		},
		{
			name: "Fez", country: "MA", region: models.RegionArabStates, joined: 2024, coLead: true, zone: "Africa/Casablanca",
			langs: []string{"fr", "ar", "en"}, local: map[string]string{"ar": "فاس", "fr": "Fès"},
			venues: []string{"Centre culturel de Fès Jdid", "Bibliothèque municipale de la Ville nouvelle"},
			stories: []demoStory{
				{"fr", "J'ai appris à lire à 54 ans", "Pendant des années, j'ai caché que je ne savais pas lire. Le cercle d'alphabétisation de la bibliothèque se réunissait chaque mardi soir ; au bout de huit mois, j'ai lu une histoire entière à ma petite-fille.", "Fatima Zahra", models.AgeOlderAdults, false, []models.LearningArea{models.AreaFamilies, models.AreaEducationSystem}},
				{"ar", "من متعلّم إلى صاحب ورشة دباغة", "ربطني مركز التكوين المهني بمعلّم دباغ في المدينة القديمة. بعد سنتين فتحت ورشتي الخاصة لصناعة الجلد، واليوم أدرّب متعلّمَين اثنين بنفسي.", "كريم", models.AgeAdults, false, []models.LearningArea{models.AreaWorkplace, models.AreaCulture}},
				{"ar", "الخط المغربي في دار الشباب", "تعلمت في ورشة الخط بدار الشباب كتابة الخط المغربي المبسوط. أشارك الآن في تزيين لافتات المكتبة ومعارضها.", "إلياس", models.AgeYouth, false, []models.LearningArea{models.AreaCulture}},
				{"fr", "Zellige : le métier de mon grand-père", "Mon grand-père posait du zellige dans les riads de la médina. Au centre des arts traditionnels, j'apprends à tailler les pièces à la main, comme lui, et à dessiner les étoiles à douze branches.", "Othmane", models.AgeYouth, false, []models.LearningArea{models.AreaCulture, models.AreaWorkplace}},
				{"en", "Maths homework club at the library", "As a volunteer tutor I help secondary school students with maths twice a week. Explaining a problem to someone else is the best way I know to understand it myself.", "Mehdi", models.AgeAdults, false, []models.LearningArea{models.AreaQuality, models.AreaEducationSystem}},
			},
		},
		{
			name: "Essaouira", country: "MA", region: models.RegionArabStates, joined: 2024, coLead: true, zone: "Africa/Casablanca",
			langs: []string{"fr", "ar", "en"}, local: map[string]string{"ar": "الصويرة"},
			venues: []string{"Dar Souiri", "Espace associatif de la médina"},
			stories: []demoStory{
				{"fr", "La musique gnaoua comme école", "Au conservatoire du quartier, des maâlems transmettent le guembri aux jeunes. J'y ai appris le rythme, mais aussi l'histoire de ma ville et la patience.", "Yassine", models.AgeYouth, true, []models.LearningArea{models.AreaCulture, models.AreaFamilies}},
				{"ar", "بائعات السمك يتعلمن تسيير مشروعهن", "نحن مجموعة من النساء نبيع السمك المجفف في السوق. دورة في التسيير المالي نظمتها جمعية محلية علمتنا حفظ الحسابات وفتح حساب بنكي للتعاونية.", "خديجة", models.AgeAdults, false, []models.LearningArea{models.AreaWorkplace, models.AreaFamilies}},
				{"fr", "Apprendre la marqueterie du thuya", "À l'atelier de marqueterie de la médina, j'apprends à travailler le bois de thuya. Le maître dit qu'il faut trois ans ; j'en suis à la première.", "Soufiane", models.AgeYouth, false, []models.LearningArea{models.AreaWorkplace, models.AreaCulture}},
				{"ar", "جدتي تعلمت استعمال الهاتف الذكي", "كانت جدتي تخاف من الهاتف. في ورشة المهارات الرقمية لكبار السن تعلمت إرسال الرسائل الصوتية، وصارت تتصل بعمي في فرنسا كل أحد.", "سلمى", models.AgeYouth, false, []models.LearningArea{models.AreaTechnologies, models.AreaFamilies}},
				{"en", "Learning to kitesurf safely, then to teach it", "The surf school on the beach trains local young people as instructors. I learned first aid, English for lessons and how to read the wind. Now I teach children on Saturday mornings.", "Anas", models.AgeYouth, false, []models.LearningArea{models.AreaWorkplace, models.AreaQuality}},
			},
		},
		{
			name: "Marrakech", country: "MA", region: models.RegionArabStates, joined: 2022, coLead: true, zone: "Africa/Casablanca",
			langs: []string{"ar", "fr", "en"}, local: map[string]string{"ar": "مراكش"},
			venues: []string{"Médiathèque de Marrakech", "Centre de formation de Sidi Youssef Ben Ali"},
			stories: []demoStory{
				{"ar", "حكايات ساحة جامع الفنا في المدرسة", "أنا حكواتي متقاعد. مع برنامج المدينة المتعلمة صرت أزور المدارس الابتدائية كل أسبوع لأحكي للأطفال حكايات الساحة، وهم يكتبون لها نهايات جديدة.", "الحاج عبد الرحيم", models.AgeOlderAdults, false, []models.LearningArea{models.AreaCulture, models.AreaEducationSystem}},
				{"fr", "Un jardin pédagogique derrière l'école", "Avec notre classe, nous avons planté des herbes aromatiques et des légumes derrière l'école. Les voisins âgés sont venus nous apprendre à économiser l'eau.", "Adam", models.AgeChildren, true, []models.LearningArea{models.AreaFamilies, models.AreaQuality}},
				{"ar", "أمهات يتعلمن مع أطفالهن", "في المكتبة الوسائطية نحضر نحن الأمهات حصة القراءة مع أطفالنا كل أربعاء. تعلمت أن أطرح الأسئلة على ابني بدل أن أقرأ له فقط.", "نزهة", models.AgeAdults, false, []models.LearningArea{models.AreaFamilies}},
				{"fr", "Le code, c'est aussi pour les filles", "Au club de code de la médiathèque, nous étions trois filles sur vingt au début. Cette année, nous sommes la moitié du groupe et nous avons créé un site sur les jardins de Marrakech.", "Salma", models.AgeYouth, true, []models.LearningArea{models.AreaTechnologies}},
				{"en", "Back to school at thirty", "I left school at fifteen. The second-chance programme helped me finish my baccalaureate in the evenings while I worked in a riad kitchen. I start a nursing course in September.", "Samira B.", models.AgeAdults, false, []models.LearningArea{models.AreaEducationSystem, models.AreaWorkplace}},
			},
		},
		{
			name: "Ifrane", country: "MA", region: models.RegionArabStates, joined: 2022, coLead: true, zone: "Africa/Casablanca",
			langs: []string{"fr", "ar", "en"}, local: map[string]string{"ar": "إفران"},
			venues: []string{"Maison de la culture d'Ifrane", "Centre social du quartier Riad"},
			stories: []demoStory{
				{"en", "Cedars, macaques and a field guide", "With the national park rangers, our hiking club learned to recognise the cedars, the Barbary macaques and the birds of the lakes. We wrote a small field guide for visiting schools.", "Hamza", models.AgeYouth, false, []models.LearningArea{models.AreaCulture, models.AreaQuality}},
				{"ar", "دروس الإعلاميات في المركز الاجتماعي", "بعد تقاعدي من التعليم، تعلمت في المركز الاجتماعي كيف أستعمل الحاسوب وأكتب مقالاتي. أنشأت مدونة عن تاريخ إفران وعاداتها.", "محمد الإدريسي", models.AgeOlderAdults, false, []models.LearningArea{models.AreaTechnologies, models.AreaCulture}},
				{"en", "First aid, learned in the snow", "Red Crescent volunteers trained a group of us in first aid for the winter season. Last January I helped two visitors who had fallen on the slopes.", "Omar", models.AgeYouth, false, []models.LearningArea{models.AreaQuality}},
				{"fr", "Des parents qui lisent à voix haute", "Chaque jeudi, des parents viennent lire des contes à l'école en arabe, en amazigh et en français. Mon fils attend ce jour toute la semaine.", "", models.AgeAdults, false, []models.LearningArea{models.AreaFamilies, models.AreaCulture}},
				{"fr", "Cuisinière, puis formatrice", "J'ai suivi la formation en hôtellerie proposée aux femmes de la région. Aujourd'hui je travaille dans un hôtel de la ville et j'anime un atelier de cuisine pour les nouvelles stagiaires.", "Latifa", models.AgeAdults, false, []models.LearningArea{models.AreaWorkplace}},
			},
		},
		{
			name: "Chefchaouen", country: "MA", region: models.RegionArabStates, joined: 2020, coLead: true, zone: "Africa/Casablanca",
			langs: []string{"ar", "fr", "en"}, local: map[string]string{"ar": "شفشاون"},
			venues: []string{"Espace culturel de la Kasbah", "Maison des associations"},
			stories: []demoStory{
				{"fr", "Teindre la laine comme ma mère", "À la coopérative de tissage, les anciennes nous enseignent la teinture naturelle au henné et à l'indigo. Je vends maintenant mes couvertures aux visiteurs et j'explique chaque motif.", "Houda", models.AgeAdults, false, []models.LearningArea{models.AreaCulture, models.AreaWorkplace}},
				{"ar", "مكتبة متنقلة إلى الدواوير", "ننطلق كل أربعاء بسيارة محمّلة بالكتب إلى القرى الجبلية حول شفشاون. الأطفال ينتظروننا عند المدرسة، والأمهات أيضًا صرن يستعرن الكتب.", "يوسف", models.AgeAdults, false, []models.LearningArea{models.AreaCulture, models.AreaFamilies}},
				{"fr", "Guide de randonnée à Talassemtane", "Je suis devenue guide de randonnée après six mois de formation dans le parc national. J'explique aux visiteurs les plantes que ma grand-mère utilisait pour soigner.", "Naima", models.AgeAdults, false, []models.LearningArea{models.AreaWorkplace, models.AreaCulture}},
				{"ar", "وصفات الجبل في ورشة الأجيال", "جمعت الجمعية الجدات والشباب لتوثيق وصفات المنطقة. سجلنا الوصفات بالفيديو وطبعناها في كتيب صغير.", "", models.AgeOlderAdults, false, []models.LearningArea{models.AreaCulture, models.AreaFamilies}},
				{"en", "Guesthouse English, one evening at a time", "Our family runs a small guesthouse in the blue medina. The evening English classes at the youth centre taught me to welcome guests, answer emails and write our own website.", "Aya", models.AgeYouth, false, []models.LearningArea{models.AreaWorkplace, models.AreaTechnologies}},
			},
		},
		{
			name: "Benguerir", country: "MA", region: models.RegionArabStates, joined: 2022, coLead: true, zone: "Africa/Casablanca",
			langs: []string{"fr", "ar", "en"}, local: map[string]string{"ar": "ابن جرير"},
			venues: []string{"Médiathèque de Benguerir", "Centre de formation professionnelle"},
			stories: []demoStory{
				{"en", "From phosphate town to startup weekend", "At the startup weekend, I joined a team of students and farmers. In 54 hours we built a prototype that texts farmers when the soil is too dry. We are still working on it.", "Zakaria", models.AgeYouth, false, []models.LearningArea{models.AreaTechnologies, models.AreaWorkplace}},
				{"fr", "Reprendre les études à la médiathèque", "Mère de trois enfants, je prépare un diplôme à distance. La médiathèque m'ouvre une salle calme et un ordinateur deux soirs par semaine, et une bibliothécaire m'aide à organiser mes révisions.", "Imane", models.AgeAdults, false, []models.LearningArea{models.AreaEducationSystem, models.AreaTechnologies}},
				{"en", "A robot that sorts our waste", "At the robotics club of our secondary school we built a small robot that sorts recyclable waste. I want to study engineering at the university here.", "Hiba", models.AgeYouth, true, []models.LearningArea{models.AreaTechnologies, models.AreaEducationSystem}},
				{"fr", "Le théâtre pour prendre la parole", "L'atelier de théâtre de la maison des jeunes m'a aidée à vaincre ma timidité. En fin d'année, nous avons joué une pièce sur l'eau devant tout le quartier.", "Rim", models.AgeYouth, true, []models.LearningArea{models.AreaCulture}},
				{"ar", "تعلمت الفلاحة المقتصدة للماء", "في الحقل التجريبي قرب المدينة، علمنا مهندسون شباب السقي بالتنقيط وتحليل التربة. ضاعفت محصول الخضر في أرضي الصغيرة.", "عبد القادر", models.AgeAdults, false, []models.LearningArea{models.AreaWorkplace, models.AreaTechnologies}},
			},
		},
		{
			name: "Dakar", country: "SN", region: models.RegionAfrica, joined: 2024, coLead: true, zone: "Africa/Dakar",
			langs: []string{"fr"}, venues: []string{"Maison de la culture Douta Seck", "Centre culturel de la Médina"},
			stories: []demoStory{
				{"fr", "Alphabétisée en wolof, puis en français", "J'ai d'abord appris à lire en wolof au foyer des femmes de la Médina. Un an plus tard, je suivais le cours de français, et aujourd'hui je tiens seule le cahier de comptes de mon étal au marché.", "Awa Diop", models.AgeAdults, false, []models.LearningArea{models.AreaFamilies, models.AreaWorkplace}},
				{"fr", "Un fablab pour réparer au lieu de jeter", "Au fablab du quartier, j'ai appris à réparer les téléphones et à programmer une petite carte électronique. Je forme maintenant d'autres jeunes le samedi.", "Moussa", models.AgeYouth, false, []models.LearningArea{models.AreaTechnologies, models.AreaWorkplace}},
			},
		},
		{
			name: "Alexandria", country: "EG", region: models.RegionArabStates, joined: 2024, coLead: true, zone: "Africa/Cairo",
			langs: []string{"ar"}, local: map[string]string{"ar": "الإسكندرية"},
			venues: []string{"قصر ثقافة الأنفوشي", "مركز الإبداع بالإسكندرية"},
			stories: []demoStory{
				{"ar", "أول كتاب قرأته كان عن مدينتي", "كنت صيادًا لا يقرأ. في فصل محو الأمية بقصر ثقافة الأنفوشي تعلمت القراءة، وأول كتاب أكملته كان عن تاريخ الإسكندرية القديمة.", "عم سعيد", models.AgeOlderAdults, false, []models.LearningArea{models.AreaEducationSystem, models.AreaCulture}},
				{"ar", "ورشة الحكايات كل جمعة", "أصطحب ابنتي كل جمعة إلى ورشة القصص في المكتبة. هي تتعلم الرسم، وأنا أتعلم معها كيف أحكي لها بالعربية الفصحى.", "منى", models.AgeAdults, false, []models.LearningArea{models.AreaFamilies, models.AreaCulture}},
			},
		},
		{
			name: "Liège", country: "BE", region: models.RegionEuropeNA, joined: 2024, coLead: true, zone: "Europe/Brussels",
			langs: []string{"fr"}, venues: []string{"Bibliothèque Chiroux", "Maison des Jeunes de Droixhe"},
			stories: []demoStory{
				{"fr", "Des tables de conversation aux permanences d'accueil", "Arrivée de Syrie il y a deux ans, j'ai suivi les tables de conversation de la bibliothèque. Maintenant je suis bénévole et j'aide d'autres nouvelles arrivantes à remplir leurs papiers.", "Rama", models.AgeAdults, false, []models.LearningArea{models.AreaFamilies, models.AreaEducationSystem}},
				{"fr", "Apprenti boulanger à 45 ans", "Après vingt ans dans la sidérurgie, j'ai repris une formation en alternance. Je me lève à quatre heures, mais je n'ai jamais été aussi fier de ce que je fais.", "Didier", models.AgeAdults, false, []models.LearningArea{models.AreaWorkplace}},
			},
		},
		{
			name: "Dresden", country: "DE", region: models.RegionEuropeNA, joined: 2024, coLead: true, zone: "Europe/Berlin",
			langs: []string{"de"}, venues: []string{"Zentralbibliothek im Kulturpalast", "Stadtteilhaus Prohlis"},
			stories: []demoStory{
				{"de", "Mit 70 ins Internet", "Im Computerkurs der Volkshochschule habe ich gelernt, Videotelefonate zu führen und Fahrkarten online zu kaufen. Jetzt erkläre ich es meinen Nachbarinnen im Haus.", "Ingrid", models.AgeOlderAdults, false, []models.LearningArea{models.AreaTechnologies}},
				{"de", "Deutsch lernen in der Gemeinschaftsküche", "Jeden Donnerstag kochen wir im Stadtteilhaus zusammen. Beim Schneiden und Abschmecken lerne ich mehr Deutsch als im Lehrbuch.", "Tarek", models.AgeAdults, false, []models.LearningArea{models.AreaFamilies, models.AreaCulture}},
			},
		},
		{
			name: "La Paz", country: "BO", region: models.RegionLatinAmerica, joined: 2024, coLead: true, zone: "America/La_Paz",
			langs: []string{"es"}, venues: []string{"Casa de la Cultura", "Biblioteca Municipal de Sopocachi"},
			stories: []demoStory{
				{"es", "Aprendí aymara con mi abuela", "En el taller intergeneracional, mi abuela me enseña aymara y yo le enseño a usar el celular. Ahora nos escribimos mensajes en los dos idiomas.", "Valeria", models.AgeYouth, true, []models.LearningArea{models.AreaFamilies, models.AreaCulture, models.AreaTechnologies}},
				{"es", "Del puesto del mercado a las cuentas claras", "Vendo verduras en el mercado Rodríguez. El curso nocturno de contabilidad básica me ayudó a llevar mis cuentas y a pedir mi primer crédito.", "Julia", models.AgeAdults, false, []models.LearningArea{models.AreaWorkplace}},
			},
		},
		{
			name: "Nanjing", country: "CN", region: models.RegionAsiaPacific, joined: 2024, coLead: true, zone: "Asia/Shanghai",
			langs: []string{"zh"}, local: map[string]string{"zh": "南京"}, venues: []string{"金陵图书馆", "鼓楼区社区学院"},
			stories: []demoStory{
				{"zh", "退休后学会了短视频剪辑", "在社区学院的数字课堂上，我学会了用手机拍摄和剪辑视频。现在我给街坊拍老街的故事，孙子说我比他还厉害。", "王阿姨", models.AgeOlderAdults, false, []models.LearningArea{models.AreaTechnologies, models.AreaCulture}},
				{"zh", "图书馆里的夜校", "下班后我在图书馆的夜校学习会计，两年后考取了证书，换了一份更好的工作。", "李明", models.AgeAdults, false, []models.LearningArea{models.AreaWorkplace, models.AreaEducationSystem}},
			},
		},
		{
			name: "Suzhou", country: "CN", region: models.RegionAsiaPacific, joined: 2024, coLead: true, zone: "Asia/Shanghai",
			langs: []string{"zh"}, local: map[string]string{"zh": "苏州"}, venues: []string{"苏州第二图书馆", "姑苏区社区学习中心"},
			stories: []demoStory{
				{"zh", "学苏绣的外地姑娘", "我从安徽来苏州打工，在社区学习中心报名了苏绣课。老师一针一线地教，现在我的作品已经能在手工市集上卖了。", "小芳", models.AgeYouth, false, []models.LearningArea{models.AreaCulture, models.AreaWorkplace}},
				{"zh", "和女儿一起学编程", "周末的亲子编程课上，我和女儿一起做了一个介绍园林的小游戏。她负责画图，我负责写代码。", "陈先生", models.AgeAdults, false, []models.LearningArea{models.AreaFamilies, models.AreaTechnologies}},
			},
		},
		{
			name: "Legazpi", country: "PH", region: models.RegionAsiaPacific, joined: 2024, coLead: true, zone: "Asia/Manila",
			langs: []string{"en"}, venues: []string{"Legazpi City Library", "Albay Astrodome function room"},
			stories: []demoStory{
				{"en", "Ready before the typhoon", "Our barangay's preparedness classes taught families like mine to read weather alerts and pack a go-bag. When the last typhoon came, we evacuated early and helped our neighbours do the same.", "Maricel", models.AgeAdults, false, []models.LearningArea{models.AreaFamilies, models.AreaQuality}},
				{"en", "Abaca weaving, sold online", "The city's livelihood programme taught me to weave abaca bags and sell them online. I now ship orders to Manila every week from home.", "Jun", models.AgeAdults, false, []models.LearningArea{models.AreaWorkplace, models.AreaTechnologies, models.AreaCulture}},
			},
		},
		{
			name: "Buan", country: "KR", region: models.RegionAsiaPacific, joined: 2024, coLead: true, zone: "Asia/Seoul",
			langs: []string{"ko"}, local: map[string]string{"ko": "부안"}, venues: []string{"부안군 평생학습관", "부안청자박물관 교육실"},
			stories: []demoStory{
				{"ko", "갯벌에서 배운 생태 해설", "평생학습관의 생태 해설사 과정을 마치고, 이제 갯벌을 찾는 아이들에게 조개와 철새 이야기를 들려줍니다.", "김영숙", models.AgeOlderAdults, false, []models.LearningArea{models.AreaCulture, models.AreaQuality}},
				{"ko", "청자 빚는 주말", "박물관 도예 교실에서 처음 흙을 만졌습니다. 반년 만에 제가 만든 찻잔으로 어머니께 차를 대접했습니다.", "박준호", models.AgeAdults, false, []models.LearningArea{models.AreaCulture}},
			},
		},
		{
			name: "Seo-gu (Gwangju)", country: "KR", region: models.RegionAsiaPacific, joined: 2024, coLead: true, zone: "Asia/Seoul",
			langs: []string{"ko"}, local: map[string]string{"ko": "광주 서구"}, venues: []string{"서구 평생학습관", "서구 행복어울림센터"},
			stories: []demoStory{
				{"ko", "한글을 배워 쓴 첫 편지", "일흔이 넘어 한글 교실에 다녔습니다. 처음으로 손자에게 직접 쓴 편지를 보냈을 때 눈물이 났습니다.", "이순자", models.AgeOlderAdults, false, []models.LearningArea{models.AreaEducationSystem, models.AreaFamilies}},
				{"ko", "마을 라디오 DJ가 되었어요", "청소년 미디어 교실에서 방송 장비 다루는 법을 배우고, 지금은 마을 라디오에서 매주 학교 이야기를 전합니다.", "지민", models.AgeYouth, true, []models.LearningArea{models.AreaTechnologies, models.AreaCulture}},
			},
		},
		{
			name: "Hanam", country: "KR", region: models.RegionAsiaPacific, joined: 2024, coLead: true, zone: "Asia/Seoul",
			langs: []string{"ko"}, local: map[string]string{"ko": "하남"}, venues: []string{"하남시 평생교육원", "미사도서관"},
			stories: []demoStory{
				{"ko", "도서관 아빠 모임에서 배운 그림책 읽기", "퇴근 후 도서관 아빠 모임에서 그림책 읽어 주는 법을 배웠습니다. 이제 잠들기 전 책 읽기는 제 담당입니다.", "최성민", models.AgeAdults, false, []models.LearningArea{models.AreaFamilies}},
				{"ko", "은퇴 후 바리스타 자격증", "평생교육원의 바리스타 과정을 수료하고, 동네 사회적 기업 카페에서 일하고 있습니다.", "정미경", models.AgeOlderAdults, false, []models.LearningArea{models.AreaWorkplace}},
			},
		},
		{
			name: "Bangkok", country: "TH", region: models.RegionAsiaPacific, joined: 2024, coLead: true, zone: "Asia/Bangkok",
			langs: []string{"th"}, local: map[string]string{"th": "กรุงเทพมหานคร"}, venues: []string{"หอสมุดเมืองกรุงเทพมหานคร", "ศูนย์การเรียนรู้ชุมชนบางกอกน้อย"},
			stories: []demoStory{
				{"th", "ภาษาอังกฤษจากหอสมุดเมือง", "ผมขับแท็กซี่มายี่สิบปี คอร์สภาษาอังกฤษตอนเย็นที่หอสมุดเมืองช่วยให้ผมคุยกับผู้โดยสารต่างชาติได้อย่างมั่นใจ", "สมชาย", models.AgeAdults, false, []models.LearningArea{models.AreaWorkplace}},
				{"th", "ปลูกผักบนดาดฟ้ากับเพื่อนบ้าน", "ศูนย์การเรียนรู้ชุมชนสอนเราทำสวนผักบนดาดฟ้าอาคาร ตอนนี้ทั้งชุมชนมีผักปลอดสารกินทุกสัปดาห์", "ป้าแดง", models.AgeOlderAdults, false, []models.LearningArea{models.AreaFamilies, models.AreaQuality}},
			},
		},
		{
			name: "Khon Kaen", country: "TH", region: models.RegionAsiaPacific, joined: 2024, coLead: true, zone: "Asia/Bangkok",
			langs: []string{"th"}, local: map[string]string{"th": "ขอนแก่น"}, venues: []string{"ห้องสมุดประชาชนจังหวัดขอนแก่น", "ศูนย์เรียนรู้ชุมชนบ้านโนนทัน"},
			stories: []demoStory{
				{"th", "ทอผ้าไหมแล้วขายออนไลน์", "กลุ่มทอผ้าไหมในหมู่บ้านได้เรียนการถ่ายรูปสินค้าและขายทางออนไลน์ รายได้ของครอบครัวเพิ่มขึ้นเกือบเท่าตัว", "บุญมี", models.AgeAdults, false, []models.LearningArea{models.AreaWorkplace, models.AreaTechnologies, models.AreaCulture}},
				{"th", "ห้องเรียนหุ่นยนต์วันเสาร์", "ผมเข้าชมรมหุ่นยนต์ที่ห้องสมุดประชาชนทุกวันเสาร์ ทีมของเราได้รางวัลระดับจังหวัดปีนี้", "ต้นกล้า", models.AgeChildren, true, []models.LearningArea{models.AreaTechnologies, models.AreaEducationSystem}},
			},
		},
		{
			name: "Yala", country: "TH", region: models.RegionAsiaPacific, joined: 2024, coLead: true, zone: "Asia/Bangkok",
			langs: []string{"th"}, local: map[string]string{"th": "ยะลา"}, venues: []string{"ห้องสมุดประชาชนจังหวัดยะลา", "ศูนย์การเรียนรู้ชุมชนสะเตง"},
			stories: []demoStory{
				{"th", "เรียนสองภาษาไปพร้อมกับลูก", "ที่ศูนย์การเรียนรู้ชุมชน ลูกของฉันเรียนอ่านทั้งภาษามลายูและภาษาไทย ส่วนฉันเรียนทำบัญชีร้านค้า", "ฟาตีมะห์", models.AgeAdults, false, []models.LearningArea{models.AreaFamilies, models.AreaEducationSystem}},
				{"th", "ห้องสมุดที่เปิดถึงค่ำ", "ห้องสมุดเปิดถึงสองทุ่ม ผมจึงมาอ่านหนังสือเตรียมสอบหลังเลิกงานได้ ปีนี้ผมสอบเข้ามหาวิทยาลัยได้แล้ว", "อับดุลเลาะ", models.AgeYouth, false, []models.LearningArea{models.AreaEducationSystem}},
			},
		},
		{
			name: "Ho Chi Minh City", country: "VN", region: models.RegionAsiaPacific, joined: 2024, coLead: true, zone: "Asia/Ho_Chi_Minh",
			langs: []string{"vi"}, local: map[string]string{"vi": "Thành phố Hồ Chí Minh"}, venues: []string{"Thư viện Khoa học Tổng hợp", "Nhà Văn hóa Thanh niên"},
			stories: []demoStory{
				{"vi", "Tiếng Anh buổi tối ở Nhà Văn hóa", "Tôi bán cà phê vỉa hè ở Quận 1. Lớp tiếng Anh buổi tối miễn phí giúp tôi nói chuyện với khách nước ngoài và mở được một quầy cà phê nhỏ.", "Chị Lan", models.AgeAdults, false, []models.LearningArea{models.AreaWorkplace}},
				{"vi", "Tuổi bảy mươi học gọi video", "Ở thư viện, tôi học gọi video và đọc báo điện tử. Giờ mỗi sáng tôi gửi tin nhắn thoại cho các cháu.", "Ông Tư", models.AgeOlderAdults, false, []models.LearningArea{models.AreaTechnologies, models.AreaFamilies}},
			},
		},
		{
			name: "Son La", country: "VN", region: models.RegionAsiaPacific, joined: 2024, coLead: true, zone: "Asia/Ho_Chi_Minh",
			langs: []string{"vi"}, local: map[string]string{"vi": "Sơn La"}, venues: []string{"Thư viện tỉnh Sơn La", "Trung tâm học tập cộng đồng phường Chiềng Lề"},
			stories: []demoStory{
				{"vi", "Lớp học chữ buổi tối ở bản", "Nhờ lớp học buổi tối ở trung tâm học tập cộng đồng, tôi đã đọc được hướng dẫn trồng cà phê và tự ghi sổ chi tiêu của gia đình.", "Lò Thị Hoa", models.AgeAdults, false, []models.LearningArea{models.AreaEducationSystem, models.AreaWorkplace}},
				{"vi", "Trồng cà phê theo cách mới", "Cán bộ khuyến nông dạy chúng tôi cách tỉa cành và ủ phân hữu cơ. Vụ vừa rồi nhà tôi được mùa cà phê Arabica.", "Cầm Văn Sơn", models.AgeAdults, false, []models.LearningArea{models.AreaWorkplace, models.AreaQuality}},
			},
		},
		{
			name: "Aswan", country: "EG", region: models.RegionArabStates, joined: 2016, zone: "Africa/Cairo",
			langs: []string{"ar"}, local: map[string]string{"ar": "أسوان"}, venues: []string{"قصر ثقافة أسوان", "مكتبة مصر العامة بأسوان"},
			stories: []demoStory{
				{"ar", "كلمات نوبية نسجلها بأنفسنا", "في مبادرة لحماية التراث، نتعلم نحن الأطفال أغاني وكلمات نوبية من كبار القرية، ونسجلها على الحاسوب.", "مروان", models.AgeChildren, true, []models.LearningArea{models.AreaCulture, models.AreaTechnologies}},
				{"ar", "مرشد سياحي بعد الخمسين", "بعد أن أُغلق المصنع، التحقت بدورة الإرشاد السياحي. اليوم أرافق الزوار إلى معبد فيلة وأشرح لهم تاريخه.", "حسن", models.AgeAdults, false, []models.LearningArea{models.AreaWorkplace, models.AreaCulture}},
			},
		},
		{
			name: "Ibadan", country: "NG", region: models.RegionAfrica, joined: 2016, zone: "Africa/Lagos",
			langs: []string{"en"}, venues: []string{"Kenneth Dike Library hall", "Mokola community centre"},
			stories: []demoStory{
				{"en", "From tailoring student to teacher", "I learned tailoring at the Mokola skills centre. Today I run my own shop and train four apprentices, two of them young mothers.", "Adebola", models.AgeAdults, false, []models.LearningArea{models.AreaWorkplace}},
				{"en", "Reading club under the mango tree", "Every Saturday, volunteers from the university read with the children in our compound. My son now reads Yoruba and English stories to his little sister.", "Funmilayo", models.AgeAdults, false, []models.LearningArea{models.AreaFamilies, models.AreaCulture}},
			},
		},
		{
			name: "Cork", country: "IE", region: models.RegionEuropeNA, joined: 2015, zone: "Europe/Dublin",
			langs: []string{"en"}, venues: []string{"Cork City Library, Grand Parade", "Knocknaheeny Community Centre"},
			stories: []demoStory{
				{"en", "Welding at 68 in the Men's Shed", "After I retired I joined the Men's Shed. We restore old bicycles for the schools, and I learned to weld at sixty-eight.", "Pat", models.AgeOlderAdults, false, []models.LearningArea{models.AreaCulture, models.AreaWorkplace}},
				{"en", "Learning Irish with my kids", "The family Irish classes at the city library mean we can all help with homework now, and we sing together in the car.", "Siobhán", models.AgeAdults, false, []models.LearningArea{models.AreaFamilies, models.AreaCulture}},
			},
		},
		{
			name: "Medellín", country: "CO", region: models.RegionLatinAmerica, joined: 2016, zone: "America/Bogota",
			langs: []string{"es"}, venues: []string{"Biblioteca Pública Piloto", "UVA de La Imaginación"},
			stories: []demoStory{
				{"es", "Del club de robótica a la ingeniería", "Empecé yendo al club de robótica de la UVA de mi barrio. Hoy estudio ingeniería y vuelvo los sábados como mentor de los más pequeños.", "Santiago", models.AgeYouth, false, []models.LearningArea{models.AreaTechnologies, models.AreaEducationSystem}},
				{"es", "Bordados que cuentan el barrio", "En el taller de bordado de mi comuna, las mujeres mayores bordamos la memoria del barrio. Expusimos nuestros tapices en el museo de la ciudad.", "Gloria", models.AgeOlderAdults, false, []models.LearningArea{models.AreaCulture, models.AreaFamilies}},
			},
		},
		{
			name: "Okayama", country: "JP", region: models.RegionAsiaPacific, joined: 2016, zone: "Asia/Tokyo",
			langs: []string{"ja"}, local: map[string]string{"ja": "岡山"}, venues: []string{"岡山市立中央図書館", "京山公民館"},
			stories: []demoStory{
				{"ja", "公民館で始めた英会話", "定年後、公民館の英会話サークルに参加しました。今は海外からの旅行者に、桃太郎の伝説を英語で案内しています。", "山本 健一", models.AgeOlderAdults, false, []models.LearningArea{models.AreaCulture}},
				{"ja", "ESDカフェで意見を言えた", "地域のESDカフェで、川の清掃活動について大人と話し合いました。高校生の私にも意見を言える場所があると知りました。", "さくら", models.AgeYouth, true, []models.LearningArea{models.AreaQuality, models.AreaCulture}},
			},
		},
		{
			name: "Melton", country: "AU", region: models.RegionAsiaPacific, joined: 2016, zone: "Australia/Melbourne",
			langs: []string{"en"}, venues: []string{"Melton Library and Learning Hub", "Caroline Springs Library"},
			stories: []demoStory{
				{"en", "My first job after the careers workshop", "The careers workshop at the library helped me write my first CV and practise interviews. Two weeks later I started at a local childcare centre.", "Priya", models.AgeYouth, false, []models.LearningArea{models.AreaWorkplace}},
				{"en", "Our bush tucker garden", "At school, Aboriginal Elders taught us the plants in our bush tucker garden and what people have used them for.", "Jack", models.AgeChildren, true, []models.LearningArea{models.AreaCulture, models.AreaFamilies}},
			},
		},
	}
}
