package org.tandemcds.samples;

import java.util.List;
import java.util.Map;

/**
 * The phrase pools notes are drawn from. A phrase starts with its section letter (H history, S
 * symptoms, E examination, L labs) and a bar; {@code {side}}, {@code {S}} and {@code {a-b}} are
 * filled in when drawn. Several findings share words (breath sounds, dyspnoea, cough), and each
 * finding's name also appears in negated and hedged phrases, so no phrase alone decides a label.
 */
final class NotePhrases {
  private NotePhrases() {}

  static final Map<Finding, List<String>> STRONG =
      Map.of(
          Finding.CARDIOMEGALY,
              List.of(
                  "H|known dilated cardiomyopathy, EF {20-35}%",
                  "H|echo {2-11} months ago: dilated LV, EF {25-40}%",
                  "H|hx CHF with {2-4} admissions for decompensation this yr",
                  "H|prior CXR reported enlarged cardiac silhouette",
                  "L|NT-proBNP {2500-9000} pg/mL",
                  "L|BNP {800-2900}",
                  "H|ischaemic cardiomyopathy, on sacubitril/valsartan"),
          Finding.PLEURAL_EFFUSION,
              List.of(
                  "E|stony dull to percussion at {side} base",
                  "E|dullness and absent breath sounds {S} lower zone",
                  "H|known {side} pleural effusion, s/p thoracentesis {2-8} wks ago",
                  "E|bedside US: fluid at {side} base",
                  "E|reduced tactile fremitus and dull {side} base"),
          Finding.PNEUMOTHORAX,
              List.of(
                  "S|sudden onset {side} pleuritic chest pain and SOB after CT-guided lung biopsy",
                  "S|acutely SOB after {side} subclavian CVC insertion today",
                  "E|absent breath sounds {S} with hyperresonance",
                  "S|fell from ladder, {side} rib fractures, now sharp chest pain",
                  "E|hyper-resonant {side} hemithorax, trachea midline, SpO2 {86-91}%"),
          Finding.NODULE_MASS,
              List.of(
                  "H|CT {2-9} months ago showed {8-25} mm {S}UL nodule, f/u recommended",
                  "S|haemoptysis x {2-6} wks",
                  "S|unintentional wt loss of {6-15} kg over {3-6} months",
                  "H|{30-80} pack-year smoker with hemoptysis",
                  "H|referred by oncology, known lung ca on chemo",
                  "S|coughing up blood-streaked sputum for {3-8} weeks"),
          Finding.CONSOLIDATION,
              List.of(
                  "S|fever {38.5-40.1}C with productive cough of green sputum",
                  "E|coarse crackles and bronchial breathing {S} base",
                  "L|WBC {14-25} x10^9/L, CRP {80-300}",
                  "S|febrile with rigors, cough x {3-7} days",
                  "L|sputum culture grew S. pneumoniae",
                  "S|rusty sputum and high fevers since {2-5} days"));

  static final Map<Finding, List<String>> WEAK =
      Map.of(
          Finding.CARDIOMEGALY,
              List.of(
                  "E|bilateral ankle edema",
                  "S|orthopnoea, sleeps on {2-4} pillows",
                  "S|DOE after half a block",
                  "E|JVP raised at {4-7} cm",
                  "E|S3 gallop",
                  "H|on furosemide and spironolactone",
                  "E|pedal oedema ++",
                  "S|PND x {2-5} nights"),
          Finding.PLEURAL_EFFUSION,
              List.of(
                  "E|decreased breath sounds at {side} base",
                  "E|reduced air entry {S} lower zone",
                  "S|{side} sided pleuritic discomfort",
                  "L|albumin {22-28} g/L",
                  "S|increasing SOB over {1-3} wks",
                  "E|quiet {side} base on auscultation"),
          Finding.PNEUMOTHORAX,
              List.of(
                  "S|acute pleuritic chest pain {side}",
                  "E|SpO2 dropped to {88-92}% on RA",
                  "H|hx of spontaneous PTX {2-9} yrs ago",
                  "H|tall thin male, sudden onset dyspnea",
                  "E|reduced breath sounds {S} apex",
                  "H|known bullous emphysema",
                  "S|MVC, chest wall tenderness"),
          Finding.NODULE_MASS,
              List.of(
                  "H|current smoker {20-60} pk-yrs",
                  "H|ex-smoker, quit {2-15} yrs ago",
                  "S|hoarse voice x {2-4} months",
                  "S|night sweats",
                  "S|fatigue and anorexia",
                  "E|finger clubbing",
                  "H|asbestos exposure (shipyard worker)",
                  "E|looks cachectic"),
          Finding.CONSOLIDATION,
              List.of(
                  "S|cough x {3-10} days",
                  "E|temp {37.8-38.4}",
                  "L|WBC {11-13}",
                  "E|crackles at {side} base",
                  "E|RR {22-30}, tachycardic",
                  "H|recent URI",
                  "S|productive cough"));

  static final Map<Finding, List<String>> NEGATED =
      Map.of(
          Finding.CARDIOMEGALY,
              List.of(
                  "H|no hx of heart failure",
                  "H|echo last yr: normal LV size and function",
                  "E|no peripheral edema",
                  "S|denies orthopnea",
                  "L|BNP normal ({20-90})",
                  "H|no cardiomegaly on prior film"),
          Finding.PLEURAL_EFFUSION,
              List.of(
                  "E|chest resonant to percussion bilaterally",
                  "E|good air entry bilat, no dullness",
                  "H|no pleural effusion on prior imaging",
                  "E|no dullness at either base"),
          Finding.PNEUMOTHORAX,
              List.of(
                  "E|breath sounds equal bilaterally",
                  "H|no trauma",
                  "E|trachea midline, equal air entry",
                  "H|no recent procedures or lines",
                  "S|denies sudden chest pain"),
          Finding.NODULE_MASS,
              List.of(
                  "H|never smoker",
                  "S|no weight loss",
                  "S|denies hemoptysis",
                  "H|CT chest {2-4} yrs ago clear",
                  "S|denies night sweats",
                  "H|no nodule on previous CT"),
          Finding.CONSOLIDATION,
              List.of(
                  "E|afebrile",
                  "S|no fever",
                  "S|denies cough",
                  "L|WBC {5-9}, CRP <5",
                  "E|chest clear on auscultation",
                  "S|no sputum production",
                  "H|no pneumonia in the past yr"));

  static final Map<Finding, List<String>> HEDGED =
      Map.of(
          Finding.CARDIOMEGALY,
              List.of(
                  "S|?early CHF",
                  "S|possible fluid overload",
                  "S|cannot exclude cardiac enlargement",
                  "S|r/o CHF"),
          Finding.PLEURAL_EFFUSION,
              List.of(
                  "S|?small effusion",
                  "S|cannot exclude {side} effusion",
                  "S|query fluid at {S} base"),
          Finding.PNEUMOTHORAX,
              List.of("S|r/o PTX", "S|?pneumothorax post line", "S|cannot exclude small PTX"),
          Finding.NODULE_MASS,
              List.of(
                  "S|?mass on outside film",
                  "S|cannot exclude neoplasm",
                  "S|r/o malignancy",
                  "S|?nodule vs artefact"),
          Finding.CONSOLIDATION,
              List.of(
                  "S|?pneumonia", "S|cannot exclude LRTI", "S|r/o CAP", "S|possible aspiration"));

  static final List<String> IRRELEVANT =
      List.of(
          "H|HTN",
          "H|T2DM on metformin 500 mg bd",
          "H|hypothyroidism",
          "H|GERD",
          "H|OA both knees",
          "H|appendectomy {1975-2015}",
          "H|cholecystectomy",
          "H|BPH",
          "H|allergy: penicillin (rash)",
          "H|lives with spouse, independent ADLs",
          "H|retired teacher",
          "H|drinks {0-14} units/wk",
          "H|atorvastatin 20 mg",
          "H|amlodipine 5 mg od",
          "H|migraine",
          "H|gout, on allopurinol",
          "S|mild headache yesterday",
          "S|back pain, chronic",
          "E|abdomen soft, non-tender",
          "E|alert and oriented",
          "E|no calf tenderness",
          "L|Hb {118-152} g/L",
          "L|Na {134-144}, K {3.6-4.9}",
          "L|creatinine {60-110}",
          "H|cataract surgery {2005-2020}",
          "S|sleeping poorly",
          "H|depression, on sertraline",
          "E|skin warm and dry");

  static final List<String> REASONS =
      List.of(
          "SOB",
          "chest pain",
          "cough",
          "pre-op assessment",
          "follow-up",
          "post-procedure check",
          "fall",
          "routine",
          "dyspnoea",
          "fever ?source",
          "weakness",
          "abnormal exam",
          "ED attendance");

  static final List<String> AUTHORS =
      List.of(
          "Dr. A. Mensah",
          "Dr. K. Holm",
          "Dr. P. Iyer",
          "Dr. S. Oduya",
          "Dr. M. Brandt",
          "NP J. Carter",
          "Dr. R. Alvarez",
          "Dr. E. Sato");
}
