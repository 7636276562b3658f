package demo

import "github.com/unesco-gnlc/learnthroughlife/models"

// demoEventKind is a kind of event a learning city holds, with its title
// in each language of the demo cities.
type demoEventKind struct {
	areas  []models.LearningArea
	ages   []models.AgeGroup
	titles map[string]string
}

func demoEventKinds() []demoEventKind {
	return []demoEventKind{
		{[]models.LearningArea{models.AreaFamilies, models.AreaCulture}, []models.AgeGroup{models.AgeChildren, models.AgeAdults}, map[string]string{
			"en": "Family reading afternoon", "fr": "Après-midi lecture en famille", "ar": "أمسية القراءة العائلية",
			"es": "Tarde de lectura en familia", "de": "Familien-Lesenachmittag", "zh": "亲子阅读下午",
			"ko": "가족 독서의 오후", "th": "บ่ายแห่งการอ่านของครอบครัว", "vi": "Buổi chiều đọc sách gia đình", "ja": "親子読書の午後",
		}},
		{[]models.LearningArea{models.AreaTechnologies}, []models.AgeGroup{models.AgeOlderAdults}, map[string]string{
			"en": "Digital skills for seniors", "fr": "Compétences numériques pour les seniors", "ar": "المهارات الرقمية لكبار السن",
			"es": "Competencias digitales para personas mayores", "de": "Digitale Kompetenzen für Seniorinnen und Senioren", "zh": "长者数字技能课堂",
			"ko": "어르신 디지털 역량 교실", "th": "ทักษะดิจิทัลสำหรับผู้สูงอายุ", "vi": "Kỹ năng số cho người cao tuổi", "ja": "シニアのためのデジタル講座",
		}},
		{[]models.LearningArea{models.AreaFamilies, models.AreaEducationSystem}, []models.AgeGroup{models.AgeAdults}, map[string]string{
			"en": "Literacy circle for women", "fr": "Cercle d'alphabétisation pour les femmes", "ar": "حلقة محو الأمية للنساء",
			"es": "Círculo de alfabetización para mujeres", "de": "Alphabetisierungskreis für Frauen", "zh": "女性识字小组",
			"ko": "여성 문해 모임", "th": "วงเรียนรู้การอ่านเขียนสำหรับผู้หญิง", "vi": "Lớp xóa mù chữ cho phụ nữ", "ja": "女性のための識字サークル",
		}},
		{[]models.LearningArea{models.AreaCulture, models.AreaFamilies}, []models.AgeGroup{models.AgeChildren, models.AgeYouth, models.AgeAdults, models.AgeOlderAdults}, map[string]string{
			"en": "Learning festival", "fr": "Fête de l'apprentissage", "ar": "مهرجان التعلم",
			"es": "Feria del aprendizaje", "de": "Fest des Lernens", "zh": "终身学习节",
			"ko": "평생학습 축제", "th": "เทศกาลแห่งการเรียนรู้", "vi": "Ngày hội học tập", "ja": "生涯学習フェスティバル",
		}},
		{[]models.LearningArea{models.AreaWorkplace}, []models.AgeGroup{models.AgeYouth}, map[string]string{
			"en": "Apprenticeship open day", "fr": "Portes ouvertes de l'apprentissage", "ar": "يوم مفتوح للتدريب المهني",
			"es": "Jornada de puertas abiertas de formación dual", "de": "Tag der offenen Tür: Ausbildung", "zh": "学徒制开放日",
			"ko": "도제 교육 오픈 데이", "th": "วันเปิดบ้านการฝึกงาน", "vi": "Ngày hội hướng nghiệp học nghề", "ja": "職業訓練オープンデー",
		}},
		{[]models.LearningArea{models.AreaQuality, models.AreaEducationSystem}, []models.AgeGroup{models.AgeAdults}, map[string]string{
			"en": "Teachers' workshop on active learning", "fr": "Atelier des enseignants sur la pédagogie active", "ar": "ورشة للمدرّسين حول التعلم النشط",
			"es": "Taller docente sobre aprendizaje activo", "de": "Lehrkräfte-Workshop zu aktivem Lernen", "zh": "教师主动学习工作坊",
			"ko": "교사 능동 학습 워크숍", "th": "เวิร์กช็อปครูด้านการเรียนรู้เชิงรุก", "vi": "Hội thảo giáo viên về học tập tích cực", "ja": "教員向けアクティブラーニング研修",
		}},
		{[]models.LearningArea{models.AreaTechnologies, models.AreaEducationSystem}, []models.AgeGroup{models.AgeChildren, models.AgeYouth}, map[string]string{
			"en": "Coding club launch", "fr": "Lancement du club de code", "ar": "إطلاق نادي البرمجة",
			"es": "Lanzamiento del club de programación", "de": "Start des Programmierclubs", "zh": "编程俱乐部启动",
			"ko": "코딩 동아리 출범", "th": "เปิดตัวชมรมเขียนโค้ด", "vi": "Ra mắt câu lạc bộ lập trình", "ja": "プログラミングクラブ発足",
		}},
		{[]models.LearningArea{models.AreaCulture, models.AreaWorkplace}, []models.AgeGroup{models.AgeYouth, models.AgeAdults}, map[string]string{
			"en": "Heritage crafts masterclass", "fr": "Classe de maître en artisanat traditionnel", "ar": "ورشة الحرف التراثية",
			"es": "Clase magistral de artesanía tradicional", "de": "Meisterkurs Traditionshandwerk", "zh": "非遗手工艺大师课",
			"ko": "전통 공예 마스터 클래스", "th": "มาสเตอร์คลาสงานหัตถกรรมพื้นถิ่น", "vi": "Lớp học nghề thủ công truyền thống", "ja": "伝統工芸マスタークラス",
		}},
		{[]models.LearningArea{models.AreaEducationSystem}, []models.AgeGroup{models.AgeYouth, models.AgeAdults}, map[string]string{
			"en": "Second-chance school information session", "fr": "Réunion d'information : école de la deuxième chance", "ar": "لقاء إعلامي حول مدرسة الفرصة الثانية",
			"es": "Sesión informativa: escuela de segunda oportunidad", "de": "Infoabend: Schulabschluss nachholen", "zh": "第二次机会学校说明会",
			"ko": "학력 인정 과정 설명회", "th": "ชี้แจงโครงการการศึกษาโอกาสที่สอง", "vi": "Tư vấn chương trình giáo dục thường xuyên", "ja": "学び直し説明会",
		}},
		{[]models.LearningArea{models.AreaWorkplace, models.AreaTechnologies}, []models.AgeGroup{models.AgeAdults}, map[string]string{
			"en": "Online course: starting a small business", "fr": "Cours en ligne : créer sa petite entreprise", "ar": "دورة عبر الإنترنت: إنشاء مشروع صغير",
			"es": "Curso en línea: emprender un pequeño negocio", "de": "Online-Kurs: Gründen im Kleinen", "zh": "线上课程：小微创业入门",
			"ko": "온라인 강좌: 소상공인 창업", "th": "คอร์สออนไลน์: เริ่มต้นธุรกิจขนาดเล็ก", "vi": "Khóa học trực tuyến: khởi nghiệp kinh doanh nhỏ", "ja": "オンライン講座：小さな起業入門",
		}},
		{[]models.LearningArea{models.AreaFamilies, models.AreaCulture}, []models.AgeGroup{models.AgeChildren, models.AgeOlderAdults}, map[string]string{
			"en": "Storytelling with grandparents", "fr": "Contes avec les grands-parents", "ar": "حكايات مع الأجداد",
			"es": "Cuentos con los abuelos", "de": "Geschichten mit Großeltern", "zh": "祖孙故事会",
			"ko": "조부모와 함께하는 이야기 시간", "th": "เล่านิทานกับปู่ย่าตายาย", "vi": "Kể chuyện cùng ông bà", "ja": "祖父母と語るおはなし会",
		}},
		{[]models.LearningArea{models.AreaQuality}, []models.AgeGroup{models.AgeAdults}, map[string]string{
			"en": "Learning city forum", "fr": "Forum de la ville apprenante", "ar": "منتدى المدينة المتعلمة",
			"es": "Foro de la ciudad del aprendizaje", "de": "Forum Lernende Stadt", "zh": "学习型城市论坛",
			"ko": "학습도시 포럼", "th": "เวทีเมืองแห่งการเรียนรู้", "vi": "Diễn đàn thành phố học tập", "ja": "学習都市フォーラム",
		}},
	}
}

// demoEventDescriptions are two ways, per language, of presenting an
// event; %s is the city's name in that language.
func demoEventDescriptions() map[string][2]string {
	return map[string][2]string{
		"en": {"Part of %s's #LearnThroughLife programme. Free and open to everyone; no registration needed.", "Organised with local partners in %s for the #LearnThroughLife campaign. Places are limited: please register at the venue."},
		"fr": {"Dans le cadre du programme #LearnThroughLife à %s. Gratuit et ouvert à toutes et à tous.", "Organisé à %s avec des partenaires locaux pour la campagne #LearnThroughLife. Places limitées : inscription sur place."},
		// In Arabic the campaign goes by its name, not its Latin hashtag,
		// whose "#" a right-to-left line would put at the wrong end.
		"ar": {"ضمن برنامج حملة «التعلّم مدى الحياة» في %s. الدخول مجاني ومفتوح للجميع.", "بتنظيم مع الشركاء المحليين في %s في إطار حملة «التعلّم مدى الحياة». المقاعد محدودة، والتسجيل في عين المكان."},
		"es": {"Parte del programa #LearnThroughLife de %s. Gratuito y abierto a todo el público.", "Organizado con socios locales de %s en la campaña #LearnThroughLife. Plazas limitadas: inscripción en el lugar."},
		"de": {"Teil des #LearnThroughLife-Programms von %s. Kostenlos und offen für alle.", "Gemeinsam mit Partnern aus %s im Rahmen der Kampagne #LearnThroughLife. Begrenzte Plätze, Anmeldung vor Ort."},
		"zh": {"%s #LearnThroughLife 终身学习项目活动，免费向所有市民开放。", "由%s本地合作伙伴共同举办，属于 #LearnThroughLife 活动，名额有限，请现场报名。"},
		"ko": {"%s #LearnThroughLife 프로그램의 하나로, 누구나 무료로 참여할 수 있습니다.", "%s 지역 협력 기관과 함께하는 #LearnThroughLife 캠페인 행사입니다. 자리가 한정되어 있으니 현장에서 신청해 주세요."},
		"th": {"ส่วนหนึ่งของโครงการ #LearnThroughLife ของ%s เข้าร่วมฟรี เปิดสำหรับทุกคน", "จัดร่วมกับภาคีในพื้นที่%s ในแคมเปญ #LearnThroughLife ที่นั่งมีจำนวนจำกัด ลงทะเบียนหน้างาน"},
		"vi": {"Thuộc chương trình #LearnThroughLife của %s. Miễn phí và mở cửa cho mọi người.", "Phối hợp cùng các đối tác tại %s trong chiến dịch #LearnThroughLife. Số chỗ có hạn, vui lòng đăng ký tại chỗ."},
		"ja": {"%sの #LearnThroughLife プログラムの一環です。参加無料、どなたでも歓迎します。", "%sの地域パートナーと共催する #LearnThroughLife キャンペーンの催しです。定員に限りがあります。"},
	}
}
