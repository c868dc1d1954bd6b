"""The form a new call starts with: what small-grants programmes for producer organisations
ask, in the five languages applicants write in. Staff change it per call."""

from __future__ import annotations

from typing import Any


def _t(en: str, es: str, fr: str, pt: str, sw: str) -> dict[str, str]:
    return {"en": en, "es": es, "fr": fr, "pt": pt, "sw": sw}


def _option(key: str, *texts: str) -> dict[str, Any]:
    return {"key": key, "label": _t(*texts)}


DEFAULT_FORM: dict[str, Any] = {"sections": [
    {"key": "challenge", "title": _t("The challenge", "El desafío", "Le défi", "O desafio",
                                     "Changamoto"),
     "fields": [
         {"key": "challenge", "type": "long_text", "max_length": 3000,
          "label": _t("What challenge does your organisation face?",
                      "¿Qué desafío enfrenta su organización?",
                      "Quel défi votre organisation rencontre-t-elle ?",
                      "Que desafio a sua organização enfrenta?",
                      "Shirika lenu linakabiliwa na changamoto gani?"),
          "help": _t("Who is affected, and how do you know?",
                     "¿A quién afecta y cómo lo saben?",
                     "Qui est concerné, et comment le savez-vous ?",
                     "Quem é afetado e como vocês sabem?",
                     "Nani anaathirika, na mnajuaje?")},
     ]},
    {"key": "project", "title": _t("The project", "El proyecto", "Le projet", "O projeto",
                                   "Mradi"),
     "fields": [
         {"key": "activities", "type": "long_text", "max_length": 5000,
          "label": _t("What will you do?", "¿Qué harán?", "Que ferez-vous ?", "O que vão fazer?",
                      "Mtafanya nini?"),
          "help": _t("For example: financial-management courses, cupping training, mapping of "
                     "members' farms, an organic pilot.",
                     "Por ejemplo: cursos de gestión financiera, capacitación en catación, "
                     "mapeo de las fincas de los socios, un piloto orgánico.",
                     "Par exemple : formations en gestion financière, dégustation, "
                     "cartographie des parcelles des membres, un pilote biologique.",
                     "Por exemplo: cursos de gestão financeira, treino de prova de café, "
                     "mapeamento das propriedades dos sócios, um piloto orgânico.",
                     "Kwa mfano: mafunzo ya usimamizi wa fedha, mafunzo ya kuonja kahawa, "
                     "ramani za mashamba ya wanachama, majaribio ya kilimo hai.")},
         {"key": "participants", "type": "number", "minimum": 1, "maximum": 1000000,
          "label": _t("How many members will take part?", "¿Cuántos socios participarán?",
                      "Combien de membres y participeront ?", "Quantos sócios vão participar?",
                      "Wanachama wangapi watashiriki?")},
         {"key": "women_share", "type": "choice", "required": False,
          "label": _t("How many of them are women?", "¿Cuántas de ellas son mujeres?",
                      "Combien d'entre eux sont des femmes ?", "Quantas delas são mulheres?",
                      "Wangapi kati yao ni wanawake?"),
          "options": [
              _option("under_quarter", "Fewer than a quarter", "Menos de la cuarta parte",
                      "Moins du quart", "Menos de um quarto", "Chini ya robo"),
              _option("quarter_to_half", "A quarter to a half", "Entre la cuarta parte y la mitad",
                      "Du quart à la moitié", "De um quarto a metade", "Robo hadi nusu"),
              _option("over_half", "More than half", "Más de la mitad", "Plus de la moitié",
                      "Mais de metade", "Zaidi ya nusu")]},
         {"key": "start_date", "type": "date",
          "label": _t("When would the project start?", "¿Cuándo empezaría el proyecto?",
                      "Quand le projet commencerait-il ?", "Quando o projeto começaria?",
                      "Mradi ungeanza lini?")},
         {"key": "results", "type": "long_text", "max_length": 3000,
          "label": _t("What will have changed at the end?", "¿Qué habrá cambiado al final?",
                      "Qu'est-ce qui aura changé à la fin ?", "O que terá mudado no final?",
                      "Nini kitakuwa kimebadilika mwishoni?")},
     ]},
    {"key": "money", "title": _t("Budget", "Presupuesto", "Budget", "Orçamento", "Bajeti"),
     "fields": [
         {"key": "budget", "type": "budget",
          "label": _t("Budget lines", "Líneas del presupuesto", "Lignes du budget",
                      "Linhas do orçamento", "Mistari ya bajeti"),
          "help": _t("The lines must add up to the amount you request.",
                     "Las líneas deben sumar el monto que solicitan.",
                     "Les lignes doivent totaliser le montant demandé.",
                     "As linhas devem somar o valor pedido.",
                     "Jumla ya mistari lazima ilingane na kiasi mnachoomba."),
          "options": [
              _option("training", "Training", "Capacitación", "Formation", "Formação",
                      "Mafunzo"),
              _option("equipment", "Equipment", "Equipos", "Équipement", "Equipamento",
                      "Vifaa"),
              _option("services", "Services and advice", "Servicios y asesoría",
                      "Services et conseil", "Serviços e assessoria", "Huduma na ushauri"),
              _option("travel", "Travel", "Viajes", "Déplacements", "Viagens", "Usafiri"),
              _option("other", "Other", "Otro", "Autre", "Outro", "Mengineyo")]},
         {"key": "own_contribution", "type": "money", "required": False,
          "label": _t("Your organisation's own contribution",
                      "Aporte propio de la organización",
                      "Contribution propre de l'organisation",
                      "Contribuição própria da organização",
                      "Mchango wa shirika lenyewe")},
     ]},
    {"key": "documents", "title": _t("Documents", "Documentos", "Documents", "Documentos",
                                     "Nyaraka"),
     "fields": [
         {"key": "registration", "type": "file",
          "label": _t("Registration certificate", "Certificado de registro",
                      "Certificat d'enregistrement", "Certificado de registo",
                      "Cheti cha usajili")},
         {"key": "financials", "type": "file", "required": False,
          "label": _t("Last year's financial statement",
                      "Estados financieros del último año",
                      "États financiers de l'an dernier",
                      "Demonstrações financeiras do último ano",
                      "Taarifa ya fedha ya mwaka jana")},
     ]},
]}
