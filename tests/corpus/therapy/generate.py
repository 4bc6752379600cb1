#!/usr/bin/env python3
"""Generate the fictional therapy gold corpus (therapy.jsonl).

Every document is produced from a hand-written template with marked slots,
so the gold span offsets are computed by this script and never counted by
hand.  All people, organisations, numbers and events are invented.

Template markup
---------------
  {LABEL:key}      insert ctx[key] and annotate it with LABEL
  {=key}           insert ctx[key] unannotated; the value itself may contain
                   [[LABEL:...]] markup (used for phrases such as
                   "is [[CONDITION:Deaf]]" or pronouns such as "she")
  {^key}           insert the indefinite article ("a"/"an") for ctx[key]
  [[LABEL:text]]   literal text annotated with LABEL

Offsets are Unicode code-point offsets (Python str indices).

Run:  python3 tests/corpus/therapy/generate.py
Writes tests/corpus/therapy/therapy.jsonl next to this script.
"""

from __future__ import annotations

import calendar
import datetime as dt
import json
import random
import re
import string
import sys
import textwrap
import unicodedata
from collections import Counter
from pathlib import Path

SEED = 20240917

DIRECT_LABELS = {
    "NAME", "DATE", "AGE", "PHONE", "FAX", "EMAIL", "URL", "IP_ADDRESS",
    "STREET_ADDRESS", "CITY", "STATE", "ZIP", "LOCATION", "ORGANIZATION",
    "ID", "SOCIAL_HANDLE",
}
QUASI_LABELS = {
    "OCCUPATION", "ETHNICITY", "RELIGION", "CONDITION", "EVENT", "FAMILY",
    "PHYSICAL",
}
ALL_LABELS = DIRECT_LABELS | QUASI_LABELS  # AGE is in both (kind by value)

# ---------------------------------------------------------------------------
# Filler pools (all invented or generic)
# ---------------------------------------------------------------------------

CULTURES = {
    "hispanic": dict(
        f=["María", "Lucía", "Guadalupe", "Ximena", "Ana", "Marisol", "Yesenia", "Itzel", "Rocío", "Daniela"],
        m=["José", "Juan Carlos", "Luis", "Alejandro", "Jesús", "Santiago", "Mateo", "Héctor", "Raúl", "Joaquín"],
        last=["García", "Hernández", "López", "Martínez", "Núñez", "Peña", "Muñoz", "Ramírez", "Castillo",
              "Ibarra", "Ortega", "Villalobos", "García-López"],
        eth=["Mexican American", "Salvadoran", "Puerto Rican", "Guatemalan", "Honduran"],
        lang=["Spanish", "K'iche'", "Mixteco"],
        rel=["Catholic", "Pentecostal", "Jehovah's Witness"],
        country=["Guatemala", "Honduras", "El Salvador", "Mexico"],
        transit=["[[CITY:Tapachula]]", "[[CITY:Ciudad Juárez]]", "a shelter in [[CITY:Tijuana]]"],
    ),
    "vietnamese": dict(
        f=["Lan", "Thảo", "Ngọc", "Linh", "Hương", "Mai", "Trang"],
        m=["Minh", "Tuấn", "Huy", "Quang", "Bảo", "Dũng", "Khoa"],
        last=["Nguyễn", "Trần", "Lê", "Phạm", "Võ", "Đặng", "Huỳnh"],
        eth=["Vietnamese American", "Vietnamese"],
        lang=["Vietnamese"],
        rel=["Buddhist", "Catholic", "Cao Đài"],
        country=["Vietnam"],
        transit=["a processing center in [[CITY:Manila]]"],
    ),
    "nigerian": dict(
        f=["Chidinma", "Ngozi", "Folake", "Adaeze", "Funmilayo", "Amaka", "Yetunde"],
        m=["Emeka", "Oluwaseun", "Chukwudi", "Tunde", "Obinna", "Babatunde", "Ikenna"],
        last=["Okafor", "Adeyemi", "Nwosu", "Adebayo", "Eze", "Okonkwo", "Olatunji", "Ogunleye"],
        eth=["Nigerian", "Igbo", "Yoruba", "Nigerian American"],
        lang=["Yoruba", "Igbo", "Hausa"],
        rel=["Pentecostal", "Anglican", "Muslim"],
        country=["Nigeria"],
        transit=["[[CITY:Lagos]]"],
    ),
    "indian": dict(
        f=["Priya", "Ananya", "Lakshmi", "Deepa", "Kavya", "Meenakshi", "Harpreet"],
        m=["Arjun", "Rahul", "Vikram", "Sanjay", "Rohan", "Gurpreet", "Aditya"],
        last=["Patel", "Sharma", "Iyer", "Reddy", "Gupta", "Chatterjee", "Singh", "Venkataraman"],
        eth=["Indian American", "Punjabi", "Tamil", "Gujarati"],
        lang=["Hindi", "Tamil", "Punjabi", "Gujarati", "Telugu"],
        rel=["Hindu", "Sikh", "Jain"],
        country=["India"],
        transit=["[[CITY:Dubai]]"],
    ),
    "chinese": dict(
        f=["Mei", "Xiaoling", "Jing", "Yun", "Huifang", "Qian"],
        m=["Wei", "Jun", "Hao", "Zhiwei", "Jian", "Bo"],
        last=["Chen", "Wang", "Zhang", "Liu", "Huang", "Zhou", "Xu"],
        eth=["Chinese American", "Taiwanese American", "Chinese"],
        lang=["Mandarin", "Cantonese", "Taishanese"],
        rel=["Buddhist", "evangelical Christian"],
        country=["China", "Taiwan"],
        transit=["[[CITY:Vancouver]]"],
    ),
    "arabic": dict(
        f=["Layla", "Fatima", "Noor", "Yasmin", "Rania", "Amira"],
        m=["Omar", "Khalid", "Yusuf", "Tariq", "Karim", "Hassan"],
        last=["Haddad", "Al-Khatib", "Mansour", "Nasser", "Saleh", "El-Amin", "Abboud"],
        eth=["Syrian", "Lebanese", "Palestinian", "Iraqi", "Yemeni"],
        lang=["Arabic"],
        rel=["Muslim", "Maronite Catholic", "Chaldean Catholic"],
        country=["Syria", "Iraq", "Lebanon", "Yemen"],
        transit=["[[LOCATION:Zaatari]] refugee camp", "[[CITY:Gaziantep]]", "[[CITY:Amman]]"],
    ),
    "polish": dict(
        f=["Małgorzata", "Agnieszka", "Katarzyna", "Zofia", "Joanna"],
        m=["Łukasz", "Piotr", "Tomasz", "Krzysztof", "Paweł"],
        last=["Wójcik", "Kowalczyk", "Nowak", "Mazur", "Krawczyk", "Dąbrowski"],
        eth=["Polish", "Polish American"],
        lang=["Polish"],
        rel=["Catholic"],
        country=["Poland"],
        transit=["[[CITY:Przemyśl]]"],
    ),
    "irish": dict(
        f=["Siobhán", "Aoife", "Niamh", "Róisín", "Saoirse", "Orla"],
        m=["Ciarán", "Pádraig", "Seán", "Cormac", "Declan", "Eoin"],
        last=["O'Sullivan", "McCarthy", "Byrne", "Doyle", "Ó Dónaill", "Fitzgerald", "Quinn"],
        eth=["Irish", "Irish American"],
        lang=["Irish"],
        rel=["Catholic"],
        country=["Ireland"],
        transit=["[[CITY:Boston]]"],
    ),
    "korean": dict(
        f=["Ji-woo", "Seo-yeon", "Min-ji", "Hye-jin", "Eun-ji"],
        m=["Min-jun", "Joon-ho", "Seung-hoon", "Dong-hyun", "Jae-won"],
        last=["Kim", "Park", "Choi", "Jung", "Kang", "Yoon", "Lee"],
        eth=["Korean American", "Korean"],
        lang=["Korean"],
        rel=["Presbyterian", "Buddhist"],
        country=["South Korea"],
        transit=["[[CITY:Los Angeles]]"],
    ),
    "somali": dict(
        f=["Hodan", "Ayaan", "Faadumo", "Hibaaq", "Sahra", "Ubah"],
        m=["Abdirahman", "Mohamed", "Abdullahi", "Guled", "Liban", "Mahad"],
        last=["Warsame", "Abdi", "Farah", "Jama", "Osman", "Hirsi"],
        eth=["Somali", "Somali American"],
        lang=["Somali", "Maay Maay"],
        rel=["Muslim"],
        country=["Somalia"],
        transit=["the [[LOCATION:Dadaab]] refugee camp", "the [[LOCATION:Kakuma]] refugee camp"],
    ),
    "navajo": dict(
        f=["Shandiin", "Nizhoni", "Doli", "Tazbah", "Marlene"],
        m=["Ahiga", "Kee", "Delbert", "Hoskie", "Tsosie"],
        last=["Begay", "Yazzie", "Benally", "Tsosie", "Nez", "Manygoats", "Yellowhair", "Bitsui"],
        eth=["Navajo", "Diné"],
        lang=["Navajo"],
        rel=["Native American Church", "Latter-day Saint"],
        country=["Navajo Nation"],
        transit=["[[CITY:Gallup]]"],
    ),
    "nordic": dict(
        f=["Ingrid", "Sigrid", "Astrid", "Liv", "Þóra"],
        m=["Søren", "Øyvind", "Ólafur", "Björn", "Magnus"],
        last=["Sørensen", "Halvorsen", "Gunnarsson", "Lindqvist", "Ólafsson", "Bjørnstad"],
        eth=["Norwegian", "Icelandic", "Danish"],
        lang=["Norwegian", "Icelandic", "Danish"],
        rel=["Lutheran"],
        country=["Norway", "Iceland", "Denmark"],
        transit=["[[CITY:Oslo]]"],
    ),
    "continental": dict(
        f=["Chloé", "Renée", "Anaïs", "Zoë", "Héloïse"],
        m=["François", "Jürgen", "Mathis", "Lukas", "Jérôme"],
        last=["Müller", "Schröder", "Lefèvre", "Dubois", "Fischer", "Brandt", "Girard"],
        eth=["French", "German", "Swiss"],
        lang=["French", "German"],
        rel=["Catholic", "Lutheran", "Jewish"],
        country=["France", "Germany", "Switzerland"],
        transit=["[[CITY:Montréal]]"],
    ),
    "words": dict(  # ordinary English words used as names
        f=["Hope", "May", "Grace", "Rose", "Faith", "Joy", "Summer", "Page", "Dawn", "Iris", "Ivy", "Autumn"],
        m=["Will", "Bill", "Christian", "Hunter", "Frank", "Mark", "Chase", "Miles", "Rusty", "Cash"],
        last=["Young", "King", "Bishop", "Price", "Page", "Rose", "Hope", "Love", "Strong", "Little",
              "Baker", "Hunter", "Church", "Moody", "Small", "Winter", "Christian", "Major"],
        eth=["white", "Appalachian", "African American", "Black"],
        lang=["Gullah", "Pennsylvania Dutch", "Cajun French"],
        rel=["Southern Baptist", "Mennonite", "Amish", "Quaker", "Latter-day Saint", "Christian", "Jewish"],
        country=["Canada"],
        transit=["[[CITY:Toronto]]"],
    ),
    "anglo": dict(
        f=["Jennifer", "Ashley", "Megan", "Brittany", "Katherine", "Shaniqua", "Tamika"],
        m=["Tyler", "Brandon", "Jamal", "DeShawn", "Kyle", "Cody", "Trevor"],
        last=["Reed", "Thompson", "Jackson", "Whitaker", "Collins", "Washington", "McAllister", "D'Angelo"],
        eth=["African American", "white", "Black", "Italian American"],
        lang=["Gullah", "Haitian Creole"],
        rel=["Baptist", "Methodist", "Catholic", "Jewish", "Christian"],
        country=["Canada"],
        transit=["[[CITY:Toronto]]"],
    ),
    "filipino": dict(
        f=["Maricel", "Jocelyn", "Rowena", "Lovely"],
        m=["Rodel", "Jericho", "Arnel", "Bong"],
        last=["Dela Cruz", "Santos", "Reyes", "Bautista", "Macaraeg"],
        eth=["Filipino", "Filipino American"],
        lang=["Tagalog", "Ilocano", "Cebuano"],
        rel=["Catholic", "Iglesia ni Cristo"],
        country=["Philippines"],
        transit=["[[CITY:Manila]]"],
    ),
    "ethiopian": dict(
        f=["Selam", "Hiwot", "Meseret", "Tigist"],
        m=["Dawit", "Yonas", "Tesfaye", "Abebe"],
        last=["Bekele", "Haile", "Gebremedhin", "Tadesse", "Alemu"],
        eth=["Ethiopian", "Eritrean", "Oromo", "Amhara"],
        lang=["Amharic", "Tigrinya", "Oromo"],
        rel=["Ethiopian Orthodox", "Muslim"],
        country=["Ethiopia", "Eritrea"],
        transit=["[[CITY:Nairobi]]", "the [[LOCATION:Shimelba]] camp"],
    ),
    "haitian": dict(
        f=["Nadège", "Wideline", "Mirlande", "Fabienne"],
        m=["Wilner", "Jean-Pierre", "Fritznel", "Jean-Baptiste"],
        last=["Pierre-Louis", "Joseph", "Desrosiers", "Célestin", "Jean-Baptiste"],
        eth=["Haitian", "Haitian American"],
        lang=["Haitian Creole"],
        rel=["Catholic", "Seventh-day Adventist", "Baptist"],
        country=["Haiti"],
        transit=["[[CITY:Santo Domingo]]", "[[CITY:Tijuana]]"],
    ),
    "ukrainian": dict(
        f=["Oksana", "Yelena", "Iryna", "Halyna"],
        m=["Dmytro", "Andriy", "Taras", "Bohdan"],
        last=["Kovalenko", "Shevchenko", "Bondarenko", "Tkachenko", "Melnyk"],
        eth=["Ukrainian"],
        lang=["Ukrainian", "Russian"],
        rel=["Ukrainian Orthodox", "Greek Catholic"],
        country=["Ukraine"],
        transit=["[[CITY:Warsaw]]", "[[CITY:Przemyśl]]"],
    ),
    "japanese": dict(
        f=["Yuki", "Haruka", "Aiko", "Emiko"],
        m=["Kenji", "Takeshi", "Haruto", "Hiroshi"],
        last=["Tanaka", "Nakamura", "Watanabe", "Sato", "Yamamoto"],
        eth=["Japanese American", "Japanese"],
        lang=["Japanese"],
        rel=["Buddhist", "Shinto"],
        country=["Japan"],
        transit=["[[CITY:Honolulu]]"],
    ),
    "samoan": dict(
        f=["Malia", "Leilani", "Sina", "Losa"],
        m=["Sione", "Tavita", "Iosefa", "Keoni"],
        last=["Fonoti", "Tuiasosopo", "Kahananui", "Faleolo", "Leiataua"],
        eth=["Samoan", "Native Hawaiian", "Tongan"],
        lang=["Samoan", "Tongan", "Hawaiian"],
        rel=["Latter-day Saint", "Methodist"],
        country=["American Samoa", "Tonga"],
        transit=["[[CITY:Honolulu]]"],
    ),
}
CULTURE_WEIGHTS = {k: 1.0 for k in CULTURES}
CULTURE_WEIGHTS["words"] = 3.0
CULTURE_WEIGHTS["anglo"] = 1.5
REFUGEE_CULTURES = ["somali", "arabic", "hispanic", "ethiopian", "haitian", "ukrainian"]

CREDENTIALS = {
    "LCSW": "Licensed Clinical Social Worker",
    "LICSW": "Licensed Independent Clinical Social Worker",
    "LMFT": "Licensed Marriage and Family Therapist",
    "LPC": "Licensed Professional Counselor",
    "LMHC": "Licensed Mental Health Counselor",
    "LPCC": "Licensed Professional Clinical Counselor",
    "PsyD": "Licensed Psychologist",
    "PhD": "Licensed Psychologist",
    "LCPC": "Licensed Clinical Professional Counselor",
}

CITIES = [
    # city, state abbr, state name, zip prefix, county
    ("Portland", "OR", "Oregon", "972", "Multnomah County"),
    ("Minneapolis", "MN", "Minnesota", "554", "Hennepin County"),
    ("Houston", "TX", "Texas", "770", "Harris County"),
    ("Gallup", "NM", "New Mexico", "873", "McKinley County"),
    ("Worcester", "MA", "Massachusetts", "016", "Worcester County"),
    ("Dayton", "OH", "Ohio", "454", "Montgomery County"),
    ("Fresno", "CA", "California", "937", "Fresno County"),
    ("Savannah", "GA", "Georgia", "314", "Chatham County"),
    ("Boise", "ID", "Idaho", "837", "Ada County"),
    ("Tulsa", "OK", "Oklahoma", "741", "Tulsa County"),
    ("Burlington", "VT", "Vermont", "054", "Chittenden County"),
    ("Spokane", "WA", "Washington", "992", "Spokane County"),
    ("Lansing", "MI", "Michigan", "489", "Ingham County"),
    ("Scranton", "PA", "Pennsylvania", "185", "Lackawanna County"),
    ("Asheville", "NC", "North Carolina", "288", "Buncombe County"),
    ("Flagstaff", "AZ", "Arizona", "860", "Coconino County"),
    ("Bangor", "ME", "Maine", "044", "Penobscot County"),
    ("Duluth", "MN", "Minnesota", "558", "St. Louis County"),
    ("Lafayette", "LA", "Louisiana", "705", "Lafayette Parish"),
    ("Cedar Rapids", "IA", "Iowa", "524", "Linn County"),
    ("Española", "NM", "New Mexico", "875", "Rio Arriba County"),
    ("Coeur d'Alene", "ID", "Idaho", "838", "Kootenai County"),
    ("Paterson", "NJ", "New Jersey", "075", "Passaic County"),
    ("Hilo", "HI", "Hawaii", "967", "Hawaii County"),
    ("Lewiston", "ME", "Maine", "042", "Androscoggin County"),
    ("Chinle", "AZ", "Arizona", "865", "Apache County"),
    ("St. Cloud", "MN", "Minnesota", "563", "Stearns County"),
    ("Winston-Salem", "NC", "North Carolina", "271", "Forsyth County"),
    ("Green Bay", "WI", "Wisconsin", "543", "Brown County"),
    ("Billings", "MT", "Montana", "591", "Yellowstone County"),
]
SMALL_TOWNS = [
    ("Ely", "MN", "Minnesota", "557", "St. Louis County"),
    ("Marfa", "TX", "Texas", "798", "Presidio County"),
    ("Rangeley", "ME", "Maine", "049", "Franklin County"),
    ("Tuba City", "AZ", "Arizona", "860", "Coconino County"),
    ("Hazard", "KY", "Kentucky", "417", "Perry County"),
    ("Walhalla", "ND", "North Dakota", "582", "Pembina County"),
    ("Cordova", "AK", "Alaska", "995", "Chugach Census Area"),
    ("Silverton", "CO", "Colorado", "813", "San Juan County"),
    ("Port Townsend", "WA", "Washington", "983", "Jefferson County"),
    ("Lamoni", "IA", "Iowa", "501", "Decatur County"),
]
STREET_NAMES = ["Alder", "Maple", "Cedar", "Oak", "Elm", "Jefferson", "Martin Luther King Jr.", "Fourth",
                "Grand", "Riverside", "Hawthorne", "Lincoln", "Prospect", "Willow", "Juniper", "Union",
                "Mission", "Bayou", "Sandia", "Kalākaua", "Division", "Sycamore", "Chestnut", "Laurel",
                "Piñon", "Magnolia", "Greenwood", "Washington", "Frontage", "Old Farm"]
STREET_SUFFIXES = ["Street", "St.", "Avenue", "Ave", "Road", "Rd.", "Boulevard", "Blvd", "Lane", "Drive",
                   "Court", "Way", "Place", "Terrace"]
UNITS = ["Apt 3B", "Apt. 7", "Unit 12", "#204", "Apt 1A", "Unit B", "Apt 22C", "Trailer 14"]
BUSINESS_UNITS = ["Suite 200", "Suite 310", "Ste. 4B", "Floor 3", "Building C", "Suite 1150"]

PLACE_WORDS = ["Maple Grove", "Riverside", "Cedar Hollow", "Blue Heron", "Stonebridge", "Willow Creek",
               "Harborview", "Juniper Ridge", "Lakeshore", "Pine Valley", "Greenfield", "Oak Hollow",
               "Silver Lake", "Bramblewood", "Foxglove", "Red Cedar", "Meadowbrook", "Northwind", "Eastgate",
               "Kestrel Point", "Hollis Valley", "Tamarack", "Sweetwater", "Bridgewater"]
CLINIC_FORMS = ["{} Counseling Center", "{} Behavioral Health", "{} Family Services", "{} Psychotherapy Associates",
                "{} Community Mental Health Center", "{} Wellness Collective", "{} Center for Psychotherapy"]
SCHOOL_SAINTS = ["Agnes", "Brendan", "Casimir", "Bernadette", "Thomas Aquinas", "Rose of Lima"]
SCHOOL_PEOPLE = ["Hawthorne", "Roosevelt", "César Chávez", "Sojourner Truth", "Whittier", "Garfield", "Ruby Bridges",
                 "Wilma Mankiller", "Daniel Inouye", "Dolores Huerta"]
EMPLOYERS = ["Hartwell Logistics", "Brightline Dental Group", "Cascade Timber Co.", "Pinecrest Credit Union",
             "Northgate Auto Body", "Ridgeway Manufacturing", "Tri-County Transit", "Evergreen Home Health",
             "Halcyon Software", "Delmar Foods", "Kessler & Ong LLP", "Summit Ridge Mining", "Blue Ox Brewing",
             "Larkspur Hotel & Suites", "Sanderling Seafoods", "Ironwood Steel Fabricators", "Prairie Wind Energy",
             "Copper Kettle Diner", "Quill & Ledger Accounting", "Vantage Point Realty", "Orchard Valley Packing",
             "Bayside Veterinary Hospital", "Hollister-Vance Insurance", "Marrow & Pine Bakery",
             "Gundersen Freight Lines", "Sunfield Solar", "Olmsted County Public Works"]
CONGREGATIONS = {
    "Catholic": ["St. Brendan's Parish", "Our Lady of Guadalupe Church", "St. Casimir Church", "Holy Family Parish"],
    "Muslim": ["Masjid Al-Noor", "Masjid Al-Rahma", "Abu Bakr Islamic Center", "Tawheed Mosque"],
    "Hindu": ["Sri Ganesha Temple", "Shiva Vishnu Mandir"],
    "Sikh": ["Gurdwara Singh Sabha", "Guru Nanak Gurdwara"],
    "Jain": ["Jain Center of the Valley"],
    "Buddhist": ["Chùa Quang Minh", "Lotus Blossom Buddhist Temple", "Dharma Rain Zen Center"],
    "Jewish": ["Temple Beth Shalom", "Congregation Ahavas Achim"],
    "Lutheran": ["Bethany Lutheran Church", "Trinity Lutheran Church"],
    "Presbyterian": ["Hanmaum Presbyterian Church", "First Korean Presbyterian Church"],
    "Latter-day Saint": ["Maple Creek Ward", "Sandia Stake Center"],
    "_default": ["Grace Fellowship Church", "New Hope Baptist Church", "Cornerstone Assembly of God",
                 "Mount Zion AME Church", "Living Water Community Church", "Holy Trinity Orthodox Church"],
}
HOSPITALS = ["Mercy Ridge Hospital", "St. Vincent Regional Medical Center", "Lakeview Psychiatric Hospital",
             "Providence Hill Medical Center", "Good Shepherd Medical Center", "Valley General Hospital",
             "Sacred Heart Behavioral Health Pavilion", "Northbrook Memorial Hospital"]
UNIVERSITIES = ["Pacific Crest University", "Eastbrook Community College", "Northern Plains State University",
                "Hollis College", "Bayshore Technical College", "Westmark University"]
INSURERS = ["Cascade Health Plan", "Keystone Mutual Health", "BluePeak Insurance", "Heartland Care Alliance",
            "Evercare Health Partners", "Summit Shield Health"]
PANTRIES = ["Northside Community Pantry", "St. Vincent's Cupboard", "Bread of Life Pantry", "Good Neighbor Food Shelf"]
DEAF_SCHOOLS = ["Cascade School for the Deaf", "Midlands School for the Deaf", "Tri-State School for the Deaf",
                "Great Plains School for the Deaf"]
BARS = ["Rusty Anchor Tavern", "Blue Moose Saloon", "Elks Lodge", "Shamrock Pub", "Lucky Horseshoe Bar"]
TEAMS = ["Northside Little League", "Riverside Rapids Soccer Club", "Westside Jaguars", "Lakeshore Lightning AAU"]
BANKS = ["First Prairie Bank", "Harbor Federal Savings", "Keystone Community Bank", "Summit Valley Credit Union"]
PHARMACIES = ["Main Street Pharmacy", "Hillcrest Apothecary", "Corner Drug", "Valley Rx"]
LAW_FIRMS = ["Okoro & Hale, PLLC", "Brandt Whitfield LLP", "Lindqvist Family Law", "Marsh & Delgado"]
HOSPICES = ["Heartwood Hospice", "Compass Hospice & Palliative Care", "Gentle Harbor Hospice"]
COFFEE = ["Java Junction", "Bean There Café", "Common Cup Coffee", "Grounds & Gather"]
LEGAL_AID = ["Open Door Legal Aid", "New Roots Refugee Services", "Harbor Legal Clinic", "Puente Immigrant Law Project"]

FACILITIES = ["Sunset Manor Assisted Living", "Brookhaven Nursing and Rehabilitation", "Golden Pines Care Center",
              "Maple Terrace Senior Living", "Willowbrook Memory Care"]
UNITS_WARDS = ["Unit 4 West", "Ward 7B", "3 North", "Pavilion C", "5 East Adult Unit"]
ROOMS = ["Room 214", "Room 118B", "Room 9", "Room 302"]
GROUP_ROOMS = ["Conference Room B", "Room 2A", "Cedar Room", "Group Room 3"]
# highways and landmarks carry their own markup so that a leading "the" stays outside the span
HIGHWAYS = ["[[LOCATION:I-84]]", "[[LOCATION:Interstate 35]]", "[[LOCATION:Highway 101]]", "[[LOCATION:Route 9]]",
            "[[LOCATION:US-64]]", "the [[LOCATION:Beltline]]"]
LANDMARKS = ["the [[LOCATION:Fremont Bridge]]", "[[LOCATION:Eagle Point]] overlook", "the [[LOCATION:Union Pacific rail yard]]",
             "[[LOCATION:Miller's Quarry]]", "[[LOCATION:Riverside Cemetery]]", "[[LOCATION:Pier 12]]",
             "the [[LOCATION:Hawthorne Street overpass]]"]
NEIGHBORHOODS = ["Eastside", "Little Saigon", "Cedar-Riverside", "Five Points", "Fruitvale", "Old Town",
                 "Southpark", "Brightmoor", "Ironbound", "Hilltop"]
PARKS = ["Lincoln Park", "Heron Lake Park", "Forest Park", "Willow Creek Greenway", "Tamarack Trail", "Riverfront Park"]
SHELTERS = ["Harbor Light Shelter", "Hope House Shelter", "Union Gospel Mission", "St. Jude's Men's Shelter",
            "Safe Haven Family Shelter"]
STREET_ONLY = ["Fourth Street", "Grand Avenue", "Division Street", "Maple Avenue", "Main Street", "Broadway"]
RURAL_ROADS = ["County Road 14", "Old Mill Road", "Farm Road 2210", "Rural Route 3", "Navajo Route 12"]
VISIT_CENTERS = ["Bridges Family Visitation Center", "KidsFirst Visitation Center", "Safe Exchange Center"]

OCCUPATIONS = ["pharmacist", "middle school principal", "firefighter", "long-haul trucker", "dental hygienist",
               "city council member", "nurse anesthetist", "high school football coach", "veterinarian",
               "court reporter", "air traffic controller", "tattoo artist", "elementary school librarian",
               "Army medic", "commercial fisherman", "ER physician", "union electrician", "flight attendant",
               "oncology nurse", "bank branch manager", "ironworker", "zookeeper", "funeral director",
               "state trooper", "youth pastor", "wildland firefighter", "orchestra cellist", "crane operator",
               "school bus driver", "hospice chaplain", "mail carrier", "auto mechanic", "sous chef"]
COND_PRED = ["is [[CONDITION:Deaf]]", "is [[CONDITION:legally blind]]", "[[CONDITION:uses a wheelchair]]",
             "has [[CONDITION:albinism]]", "has [[CONDITION:a below-the-knee amputation]]",
             "has [[CONDITION:achondroplasia]]", "has [[CONDITION:a cochlear implant]]",
             "has [[CONDITION:extensive vitiligo]]", "[[CONDITION:uses a guide dog]]",
             "has [[CONDITION:a tracheostomy]]", "has [[CONDITION:cerebral palsy]]"]
COND_ADJ = ["Deaf", "blind", "wheelchair-using", "hard-of-hearing", "paraplegic", "legally blind"]
PHYSICAL_PRED = ["is [[PHYSICAL:6'8\"]]", "has [[PHYSICAL:a large facial tattoo]]",
                 "has [[PHYSICAL:a port-wine birthmark on the left cheek]]",
                 "has [[PHYSICAL:waist-length silver hair]]", "weighs [[PHYSICAL:about 410 lb]]",
                 "has [[PHYSICAL:a gold front tooth]]", "has [[PHYSICAL:a teardrop tattoo under the right eye]]",
                 "is [[PHYSICAL:4'10\"]]", "has [[PHYSICAL:bright blue dreadlocks]]",
                 "has [[PHYSICAL:a prosthetic left eye]]"]
FAMILY_ADULT = ["one of triplets", "the eldest of nine children", "an identical twin",
                "the youngest of fourteen children", "one of quadruplets", "a foster parent to six teenagers",
                "the only surviving child of five"]
FAMILY_ADULT_F = ["a mother of nine", "a mother of quadruplets"]
FAMILY_ADULT_M = ["a father of nine", "a father of quintuplets"]
FAMILY_CHILD = ["one of triplets", "an identical twin", "the youngest of eleven children",
                "one of fourteen children in the home", "one of quadruplets", "the only hearing child of Deaf parents"]
EVENTS = ["survived the warehouse fire", "was the only survivor of a small-plane crash",
          "won a $2 million lottery jackpot", "was held hostage during a bank robbery",
          "lost the family home in the wildfire", "was trapped for two days in a mine collapse",
          "was struck by lightning while coaching a soccer game",
          "survived the mass shooting at the county fair", "was a contestant on a televised singing competition",
          "pulled three children from a sinking car", "was exonerated after eleven years in prison",
          "testified against a cartel leader in federal court"]
MUSIC_REFS = ["Bad Bunny", "Beyoncé", "Taylor Swift", "BTS", "Kendrick Lamar", "Olivia Rodrigo", "Metallica"]
NICKNAMES = ["Junior", "Bug", "Mimi", "Peanut", "Tito", "Bibi", "JJ", "Lulu", "Kiki", "Manny"]
AREA_CODES = ["503", "612", "713", "505", "508", "937", "559", "912", "208", "918", "802", "509", "517", "570",
              "828", "928", "207", "218", "337", "319", "973", "808", "320", "336", "920", "406"]
EMAIL_DOMAINS = ["gmail.com", "yahoo.com", "outlook.com", "icloud.com", "protonmail.com", "hotmail.com", "aol.com"]
HANDLE_WORDS = ["sad", "lowkey", "xo", "official", "vibes", "reel", "the.real", "its", "not", "just"]

MONTHS = list(calendar.month_name)[1:]
MONTH_ABBR = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sept", "Oct", "Nov", "Dec"]
WEEKDAYS = list(calendar.day_name)

DATE_FULL = ["num", "num_short", "num_nopad", "long", "dmy", "abbr", "iso", "dash", "weekday_long"]
DATE_NUM = ["num", "num_short", "num_nopad", "iso", "dash"]
DATE_NOYEAR = ["abbr_noyear", "long_noyear", "md"]


def ordinal(n: int) -> str:
    if 10 <= n % 100 <= 20:
        suf = "th"
    else:
        suf = {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suf}"


def fmt_date(d: dt.date, style: str) -> str:
    m = MONTHS[d.month - 1]
    a = MONTH_ABBR[d.month - 1]
    return {
        "num": f"{d.month:02d}/{d.day:02d}/{d.year}",
        "num_short": f"{d.month}/{d.day}/{d.year % 100:02d}",
        "num_nopad": f"{d.month}/{d.day}/{d.year}",
        "long": f"{m} {d.day}, {d.year}",
        "dmy": f"{d.day} {m} {d.year}",
        "abbr": f"{a} {d.day}, {d.year}",
        "iso": d.isoformat(),
        "dash": f"{d.month:02d}-{d.day:02d}-{d.year}",
        "weekday_long": f"{WEEKDAYS[d.weekday()]}, {m} {d.day}, {d.year}",
        "abbr_noyear": f"{a} {d.day}",
        "long_noyear": f"{m} {d.day}",
        "md": f"{d.month}/{d.day}",
        "dot": f"{d.day:02d}.{d.month:02d}.{d.year}",
        "month_year": f"{m} {d.year}",
    }[style]


ASCII_MAP = str.maketrans({"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ð": "d", "Þ": "Th",
                           "þ": "th", "æ": "ae", "ß": "ss"})


def ascii_fold(s: str) -> str:
    s = s.translate(ASCII_MAP)
    s = unicodedata.normalize("NFKD", s)
    return "".join(c for c in s if not unicodedata.combining(c))


def slug(s: str) -> str:
    return re.sub(r"[^a-z0-9]", "", ascii_fold(s).lower())


def article(phrase: str) -> str:
    w = phrase.strip().lower()
    m = re.match(r"\d+", w)
    if m:
        n = m.group(0)
        return "an" if n.startswith("8") or n in ("11", "18") or re.match(r"1[18]\d\d\d$", n) else "a"
    for pre in ("uni", "use", "usu", "eu", "one", "u.s."):
        if w.startswith(pre):
            return "a"
    for pre in ("hour", "honest", "heir", "honor"):
        if w.startswith(pre):
            return "an"
    return "an" if w[:1] in "aeiou" else "a"


TOKEN = re.compile(
    r"\[\[([A-Z_]+):(.*?)\]\]"          # 1,2 literal annotated
    r"|\{([A-Z_]+):([A-Za-z0-9_]+)\}"   # 3,4 annotated slot
    r"|\{=([A-Za-z0-9_]+)\}"            # 5 unannotated slot (may contain markup)
    r"|\{\^([A-Za-z0-9_]+)\}"           # 6 article
)
MARKUP_STRIP = re.compile(r"\[\[[A-Z_]+:(.*?)\]\]")


def strip_markup(s: str) -> str:
    return MARKUP_STRIP.sub(r"\1", s)


# ---------------------------------------------------------------------------
# Context: lazily generated fillers for one document
# ---------------------------------------------------------------------------

PERSON_FIELDS = ["lastfirst", "first_li", "fullmi", "drlast", "first", "last", "full", "hon", "init", "nick",
                 "dr", "age_yo", "age"]
FAMILY_SAME_SURNAME = {"fa", "sib", "sib2", "ch", "ch2", "gf", "sp"}
FAMILY_SAME_CULTURE = FAMILY_SAME_SURNAME | {"mo", "gm", "uncle", "aunt", "cousin", "bio_mo"}
FIXED_GENDER = {"mo": "f", "fa": "m", "gm": "f", "gf": "m", "aunt": "f", "uncle": "m", "bio_mo": "f", "x_mo": "f"}


class Ctx(dict):
    def __init__(self, rng: random.Random, kind: str = "adult", cultures=None, overrides=None):
        super().__init__()
        self.rng = rng
        self.kind = kind
        self.persons = {}
        self.culture = self.pick_culture(cultures)
        r = rng
        # --- client & anchor dates
        lo, hi = {"adult": (19, 79), "minor": (6, 17), "young": (5, 9), "teen": (13, 17),
                  "college": (19, 23), "young_adult": (19, 29), "tween": (10, 17),
                  "elder": (90, 102)}[kind]
        self.age = r.randint(lo, hi)
        self.dos_d = dt.date(2019, 1, 1) + dt.timedelta(days=r.randint(0, 6 * 365))
        birthday = dt.date(self.dos_d.year - self.age, 1, 1) + dt.timedelta(days=r.randint(0, 364))
        if (birthday.month, birthday.day) > (self.dos_d.month, self.dos_d.day):
            birthday = birthday.replace(year=birthday.year - 1)
        self.dob_d = birthday
        self.gender = r.choice("fm")
        self.person("c", culture=self.culture, gender=self.gender)
        g = self.gender
        self.update({
            "he": "she" if g == "f" else "he", "He": "She" if g == "f" else "He",
            "him": "her" if g == "f" else "him", "his": "her" if g == "f" else "his",
            "His": "Her" if g == "f" else "His", "himself": "herself" if g == "f" else "himself",
            "woman_man": "woman" if g == "f" else "man", "girl_boy": "girl" if g == "f" else "boy",
            "widow": "widow" if g == "f" else "widower",
            "age": str(self.age),
        })
        self["age_yo"] = f"{self.age}-year-old"
        self["age_yo_any"] = r.choice([f"{self.age}-year-old", f"{self.age} y/o", f"{self.age} years old",
                                       f"{self.age}yo", f"{self.age} yo"])
        grade = self.age - 5
        if kind in ("minor", "young", "teen", "tween"):
            self["grade_num"] = str(max(grade, 1)) if grade >= 1 else "K"
            self["grade"] = "kindergarten" if grade < 1 else f"{ordinal(grade)} grade"
            words = ["first", "second", "third", "fourth", "fifth"]
            self["grade_teacher"] = (f"{words[grade - 1]}-grade" if 1 <= grade <= 5
                                     else r.choice(["math", "English", "science", "history", "homeroom"]))
        self.dates()
        if overrides:
            for k, v in overrides.items():
                self[k] = r.choice(v) if isinstance(v, list) else v

    # -- helpers ------------------------------------------------------------
    def pick_culture(self, cultures=None):
        keys = cultures or list(CULTURES)
        weights = [CULTURE_WEIGHTS[k] for k in keys]
        return self.rng.choices(keys, weights)[0]

    def person(self, prefix, culture=None, gender=None, surname=None):
        r = self.rng
        if prefix in self.persons:
            return self.persons[prefix]
        if culture is None:
            if prefix in FAMILY_SAME_CULTURE:
                culture = self.culture
            elif prefix in ("p", "p2") and r.random() < 0.5:
                culture = self.culture
            else:
                culture = self.pick_culture()
        pool = CULTURES[culture]
        gender = gender or FIXED_GENDER.get(prefix) or r.choice("fm")
        first = r.choice(pool[gender])
        # avoid identical first names inside one document
        used = {p["first"] for p in self.persons.values()}
        for _ in range(10):
            if first not in used:
                break
            first = r.choice(pool[gender] + CULTURES["words"][gender])
        if surname is None:
            if prefix in FAMILY_SAME_SURNAME and "c" in self.persons:
                surname = self.persons["c"]["last"]
            elif prefix == "mo" and "c" in self.persons and r.random() < 0.7:
                surname = self.persons["c"]["last"]
            else:
                surname = r.choice(pool["last"])
        mi = r.choice(string.ascii_uppercase.replace("X", "").replace("Q", ""))
        hon = "Mr." if gender == "m" else r.choice(["Ms.", "Mrs.", "Ms."])
        init = r.choice(["{}.{}.", "{}.{}.", "{}. {}.", "{}{}"]).format(ascii_fold(first)[0].upper(),
                                                                       ascii_fold(surname)[0].upper())
        p = {
            "first": first, "last": surname, "full": f"{first} {surname}", "g": gender, "culture": culture,
            "fullmi": f"{first} {mi}. {surname}", "hon": f"{hon} {surname}", "dr": f"Dr. {first} {surname}",
            "drlast": f"Dr. {surname}", "init": init, "lastfirst": f"{surname}, {first}",
            "first_li": f"{first} {surname[0]}.", "nick": r.choice(NICKNAMES),
        }
        if prefix == "judge":
            p["full"] = f"Judge {first} {surname}"
        # ages relative to client
        if prefix in ("sib", "sib2"):
            a = self.age + r.choice([-7, -5, -4, -3, -2, 2, 3, 4, 6])
            p["age"] = max(2, a)
        elif prefix in ("ch", "ch2"):
            p["age"] = r.randint(1, max(2, min(self.age - 18, 60)))
        elif prefix in ("p", "p1", "p2"):
            p["age"] = r.randint(24, 62)
        else:
            p["age"] = r.randint(22, 76)
        p["age_yo"] = f"{p['age']}-year-old"
        self.persons[prefix] = p
        return p

    def dates(self):
        r, dos = self.rng, self.dos_d
        pick = r.choice

        def setd(key, d, styles):
            self[key] = fmt_date(d, pick(styles) if isinstance(styles, list) else styles)

        setd("dob", self.dob_d, DATE_NUM if self.age < 75 else [x for x in DATE_NUM if x != "num_short"])
        setd("dob_dmy", self.dob_d, ["dot", "dmy", "num"])
        setd("dos", dos, DATE_FULL)
        setd("dos_num", dos, DATE_NUM)
        setd("dos_long", dos, ["long", "dmy", "weekday_long"])
        self["dos_ny"] = fmt_date(dos, pick(DATE_NOYEAR))
        prev = dos - dt.timedelta(days=pick([7, 14]))
        setd("prev", prev, DATE_NOYEAR + ["num_short"])
        nxt = dos + dt.timedelta(days=pick([7, 14, 21]))
        setd("next", nxt, DATE_NOYEAR + DATE_NUM)
        setd("next_full", nxt, DATE_FULL)
        setd("next_ny", nxt, DATE_NOYEAR)
        intake = dos - dt.timedelta(days=r.randint(40, 420))
        setd("intake", intake, DATE_FULL + ["month_year"])
        setd("intake_month_year", intake, "month_year")
        inc = dos - dt.timedelta(days=r.randint(1, 12))
        setd("incident", inc, DATE_FULL)
        setd("incident_ny", inc, DATE_NOYEAR)
        m = dos - dt.timedelta(days=r.randint(35, 150))
        self["month"] = MONTHS[m.month - 1]
        setd("month_year", dos - dt.timedelta(days=r.randint(200, 900)), "month_year")
        self["year"] = str(r.randint(min(max(2003, self.dob_d.year + 6), dos.year - 1), dos.year - 1))
        self["ord"] = ordinal(r.randint(1, 28))
        review = dos + dt.timedelta(days=90)
        setd("review", review, DATE_FULL)
        setd("review_ny", review, DATE_NOYEAR)
        disch = dos - dt.timedelta(days=r.randint(0, 3))
        admit = disch - dt.timedelta(days=r.randint(5, 21))
        setd("disch", disch, DATE_NUM)
        setd("admit", admit, DATE_NUM)
        setd("anniv", dos + dt.timedelta(days=r.randint(10, 60)), DATE_NOYEAR)
        setd("wedding", dt.date(r.randint(1950, 1975), r.randint(1, 12), r.randint(1, 28)), ["long", "num_nopad"])
        setd("denial_ny", disch - dt.timedelta(days=r.randint(1, 6)), DATE_NOYEAR)
        setd("lab_date", dos - dt.timedelta(days=r.randint(3, 20)), DATE_NUM + ["md"])
        setd("roi_date", dos - dt.timedelta(days=r.randint(5, 200)), DATE_FULL)
        setd("start_date", dos - dt.timedelta(days=r.randint(20, 80)), DATE_NOYEAR)
        a_start = dos + dt.timedelta(days=1)
        setd("auth_start", a_start, "num")
        setd("auth_end", a_start + dt.timedelta(days=90), "num")
        style = pick(DATE_NUM)
        for i, back in enumerate(sorted(r.sample(range(1, 60), 3), reverse=True) + [0], 1):
            self[f"d{i}"] = fmt_date(dos - dt.timedelta(days=back * 2), style)
        ey = r.randint(min(max(2003, self.dob_d.year + 8), dos.year - 1), dos.year - 1)
        self["event_year"] = str(ey)
        phrase = r.choice(EVENTS)
        self["event_bare"] = f"[[EVENT:{phrase}]]"
        self["event"] = f"[[EVENT:{phrase}]] in [[DATE:{ey}]]"

    # -- generators ---------------------------------------------------------
    def phone(self):
        r = self.rng
        ac = r.choice(AREA_CODES)
        ex = r.choice(["555", str(r.randint(201, 989))])
        ln = f"{r.randint(100, 9999):04d}"
        return r.choice([f"({ac}) {ex}-{ln}", f"{ac}-{ex}-{ln}", f"{ac}.{ex}.{ln}", f"+1 {ac} {ex} {ln}",
                         f"({ac}) {ex}-{ln}", f"1-{ac}-{ex}-{ln}", f"{ac}-{ex}-{ln}"])

    def street(self, business=False):
        r = self.rng
        s = f"{r.randint(12, 9870)} {r.choice(STREET_NAMES)} {r.choice(STREET_SUFFIXES)}"
        if r.random() < 0.35:
            s += r.choice([", ", " "]) + r.choice(BUSINESS_UNITS if business else UNITS)
        return s

    def zip_for(self, prefix):
        z = f"{prefix}{self.rng.randint(1, 99):02d}"
        if self.rng.random() < 0.2:
            z += f"-{self.rng.randint(1000, 9999)}"
        return z

    def email_for(self, p):
        r = self.rng
        f, l = slug(p["first"]), slug(p["last"])
        local = r.choice([f"{f}.{l}", f"{f}{l}{r.randint(1, 99)}", f"{f[0]}{l}", f"{f}_{l}",
                          f"{l}.{f}{r.randint(70, 99)}", f"{f}{r.randint(1980, 2009)}"])
        return f"{local}@{r.choice(EMAIL_DOMAINS)}"

    def handle_for(self, p):
        r = self.rng
        f, l = slug(p["first"]), slug(p["last"])
        return "@" + r.choice([f"{f}{l[:3]}_{r.randint(1, 99)}", f"{f}.{l[0]}{r.randint(1, 99)}",
                               f"{r.choice(HANDLE_WORDS)}.{f}", f"{f}_{r.choice(HANDLE_WORDS).replace('.', '_')}",
                               f"{f}{l}", f"x{f}x{r.randint(1, 9)}"])

    def ssn(self):
        r = self.rng
        area = r.choice([n for n in range(1, 900) if n != 666])
        return r.choice(["{:03d}-{:02d}-{:04d}", "{:03d}-{:02d}-{:04d}", "{:03d} {:02d} {:04d}"]).format(
            area, r.randint(1, 99), r.randint(1, 9999))

    def digits(self, n):
        return "".join(self.rng.choice(string.digits) for _ in range(n))

    def clinic_domain(self):
        if "_domain" not in self:
            self["_domain"] = slug(" ".join(self["clinic"].split()[:2])) + self.rng.choice(
                [".org", ".com", "counseling.org", "health.org"])
        return self["_domain"]

    def __missing__(self, key):
        val = self.resolve(key)
        self[key] = val
        return val

    def resolve(self, key):  # noqa: C901 - a big dispatch table is clearest here
        r = self.rng
        # person fields: <prefix>_<field>
        for field in PERSON_FIELDS:
            if key.endswith("_" + field):
                prefix = key[: -len(field) - 1]
                p = self.person(prefix)
                return str(p[field])
        if key.endswith("_cred"):
            return r.choice(list(CREDENTIALS))
        if key == "clin_cred_long":
            return CREDENTIALS[self["clin_cred"]]
        if key.endswith("_rel"):  # e.g. ch_rel -> daughter/son
            p = self.person(key[:-4])
            return "daughter" if p["g"] == "f" else "son"
        # places
        if key in ("city", "state", "state_full", "county", "zip", "zip2", "city_prefix"):
            c = r.choice(CITIES)
            self.update(city=c[0], state=c[1], state_full=c[2], county=c[4], city_prefix=c[3])
            self["zip"] = self.zip_for(c[3])
            self["zip2"] = self.zip_for(c[3])
            return self[key]
        if key in ("city2", "state2"):
            c = r.choice([x for x in CITIES if x[0] != self["city"]])
            self.update(city2=c[0], state2=c[1])
            return self[key]
        if key in ("town", "town_state"):
            c = r.choice(SMALL_TOWNS)
            self.update(town=c[0], town_state=c[1])
            return self[key]
        if key in ("payer_city", "payer_state", "payer_zip"):
            c = r.choice(CITIES)
            self.update(payer_city=c[0], payer_state=c[1], payer_zip=self.zip_for(c[3]))
            return self[key]
        if key in ("clinic_city", "clinic_zip"):
            if r.random() < 0.7:
                self.update(clinic_city=self["city"], clinic_zip=self.zip_for(self["city_prefix"]))
            else:
                c = r.choice([x for x in CITIES if x[1] == self["state"]] or CITIES)
                self.update(clinic_city=c[0], clinic_zip=self.zip_for(c[3]))
            return self[key]
        if key in ("street", "street2"):
            return self.street()
        if key.endswith("_street"):
            return self.street(business=True)
        # organisations
        if key == "clinic":
            return r.choice(CLINIC_FORMS).format(r.choice(PLACE_WORDS))
        if key == "pcp_clinic":
            return f"{r.choice(PLACE_WORDS)} {r.choice(['Family Medicine', 'Pediatrics', 'Primary Care', 'Health Center'])}"
        if key == "psy_practice":
            return r.choice([f"{r.choice(PLACE_WORDS)} Psychiatry",
                             f"{self['psy_last']} Psychiatric Associates"])
        if key == "school":
            a = self.age
            if self.kind == "adult" or self.kind == "elder":
                a = r.randint(6, 17)
            if a <= 10:
                return r.choice([f"{r.choice(PLACE_WORDS)} Elementary School", f"{r.choice(SCHOOL_PEOPLE)} Elementary",
                                 f"St. {r.choice(SCHOOL_SAINTS)} School"])
            if a <= 13:
                return r.choice([f"{r.choice(PLACE_WORDS)} Middle School", f"{r.choice(SCHOOL_PEOPLE)} Middle School",
                                 f"{r.choice(SCHOOL_PEOPLE)} Junior High"])
            return r.choice([f"{r.choice(PLACE_WORDS)} High School", f"{r.choice(SCHOOL_PEOPLE)} High School",
                             f"St. {r.choice(SCHOOL_SAINTS)} Academy", "Lincoln-Douglass Charter School"])
        if key in ("employer", "employer2"):
            other = self.get("employer") if key == "employer2" else None
            return r.choice([e for e in EMPLOYERS if e != other])
        if key == "church":
            rel = self["religion"]
            for k, v in CONGREGATIONS.items():
                if k != "_default" and k.lower() in rel.lower():
                    return r.choice(v)
            return r.choice(CONGREGATIONS["_default"])
        if key == "hospital":
            return r.choice(HOSPITALS)
        if key == "university":
            return r.choice(UNIVERSITIES)
        if key == "insurer":
            return r.choice(INSURERS)
        if key == "agency":
            return r.choice([f"{self['county']} Housing Authority", f"{self['county']} Community Action",
                             "Tri-Valley Rental Assistance Program"])
        if key == "agency2":
            return r.choice(LEGAL_AID)
        if key == "pantry":
            return r.choice(PANTRIES)
        if key == "deaf_school":
            return r.choice(DEAF_SCHOOLS)
        if key == "bar":
            return r.choice(BARS)
        if key == "team":
            return r.choice(TEAMS)
        if key == "police":
            return f"{self['city']} Police Department"
        if key == "sheriff":
            return f"{self['county']} Sheriff's Office"
        if key == "cps_agency":
            return r.choice([f"{self['county']} Children's Services", f"{self['county']} Department of Child and Family Services",
                             f"{self['state_full']} Department of Children and Families"])
        if key == "court":
            return r.choice([f"{self['county']} Family Court", f"{self['county']} Superior Court",
                             f"Circuit Court for {self['county']}"])
        if key == "bank":
            return r.choice(BANKS)
        if key == "pharmacy":
            return r.choice(PHARMACIES)
        if key == "law_firm":
            return r.choice(LAW_FIRMS)
        if key == "hospice":
            return r.choice(HOSPICES)
        if key == "coffee_shop":
            return r.choice(COFFEE)
        # locations
        simple = {"facility": FACILITIES, "unit": UNITS_WARDS, "room": ROOMS, "room_group": GROUP_ROOMS,
                  "highway": HIGHWAYS, "landmark": LANDMARKS, "neighborhood": NEIGHBORHOODS, "park": PARKS,
                  "shelter": SHELTERS, "street_name": STREET_ONLY, "rural_road": RURAL_ROADS,
                  "visit_center": VISIT_CENTERS, "music_ref": MUSIC_REFS}
        if key in simple:
            return r.choice(simple[key])
        if key == "country":
            return r.choice(CULTURES[self.culture]["country"])
        if key == "transit":
            return r.choice(CULTURES[self.culture]["transit"])
        # quasi
        if key in ("occupation", "occupation2"):
            other = self.get("occupation") if key == "occupation2" else None
            return r.choice([o for o in OCCUPATIONS if o != other])
        if key == "ethnicity":
            return r.choice(CULTURES[self.culture]["eth"])
        if key == "language":
            return r.choice(CULTURES[self.culture]["lang"])
        if key == "religion":
            return r.choice(CULTURES[self.culture]["rel"])
        if key == "cond_pred":
            return r.choice(COND_PRED)
        if key == "cond_adj":
            return r.choice(COND_ADJ)
        if key == "physical":
            return r.choice(PHYSICAL_PRED)
        if key == "family":
            extra = FAMILY_ADULT_F if self.gender == "f" else FAMILY_ADULT_M
            return r.choice(FAMILY_ADULT + extra)
        if key == "family_child":
            return r.choice(FAMILY_CHILD)
        # contact
        if "fax" in key:
            return self.phone()
        if "phone" in key or key == "clin_direct":
            return self.phone()
        if key == "email":
            return self.email_for(self.persons["c"])
        if key == "clinic_email":
            return f"{r.choice(['intake', 'frontdesk', 'info', 'scheduling'])}@{self.clinic_domain()}"
        if key in ("clin_email", "pcp_email", "sc_email"):
            p = self.person(key[:-6])
            if key == "clin_email":
                dom = self.clinic_domain()
            elif key == "sc_email":
                dom = f"{slug(self['city'])}schools.org"
            else:
                dom = slug(self["pcp_clinic"].split()[0]) + r.choice(["health.org", "med.com", "clinic.org"])
            return f"{slug(p['first'])[0]}{slug(p['last'])}@{dom}"
        if key.endswith("_email"):
            return self.email_for(self.person(key[:-6]))
        if key == "clinic_url":
            return r.choice([f"https://www.{self.clinic_domain()}", f"www.{self.clinic_domain()}",
                             f"https://{self.clinic_domain()}/contact"])
        if key == "portal_url":
            return r.choice([f"https://{slug(self['clinic'])[:14]}.clientsecure.me",
                             f"https://portal.{self.clinic_domain()}/reschedule?appt={r.getrandbits(32):08x}"])
        if key == "school_url":
            return f"https://www.{slug(self['city'])}schools.org/report-bullying"
        if key == "zoom_url":
            pwd = "".join(r.choice(string.ascii_letters + string.digits) for _ in range(22))
            return r.choice([f"https://us02web.zoom.us/j/{self.digits(11)}?pwd={pwd}",
                             f"https://zoom.us/j/{self.digits(10)}"])
        if key == "doxy_url":
            return f"https://doxy.me/{slug(self['clin_last'])}{r.choice(['', 'therapy', str(r.randint(1, 99))])}"
        if key == "meet_url":
            L = string.ascii_lowercase
            return "https://meet.google.com/" + "-".join("".join(r.choice(L) for _ in range(n)) for n in (3, 4, 3))
        if key in ("ip", "ip2"):
            if r.random() < 0.15:
                return f"2601:{r.randint(256, 4095):x}:{r.randint(4096, 65535):x}:{r.randint(16, 4095):x}::{r.randint(1, 65535):x}"
            if r.random() < 0.15:
                return f"192.168.{r.randint(0, 9)}.{r.randint(2, 254)}"
            return ".".join(str(x) for x in (r.randint(24, 223), r.randint(0, 255), r.randint(0, 255), r.randint(1, 254)))
        if key == "handle":
            return self.handle_for(self.persons["c"])
        if key.endswith("_handle"):
            return self.handle_for(self.person(key[:-7]))
        if key == "handle2":  # anonymous account
            return "@" + r.choice([f"{slug(self['school'])[:12]}_confessions", f"burnbook.{r.randint(10, 99)}",
                                   f"tea.spill.{r.randint(100, 999)}", f"exposing_{slug(self['city'])}",
                                   f"anon{r.randint(1000, 9999)}"])
        # identifiers
        if key == "ssn":
            return self.ssn()
        if key == "mrn":
            return r.choice([self.digits(8), self.digits(7), f"{self.digits(3)}-{self.digits(4)}",
                             f"MR{self.digits(6)}", f"{r.choice('ABCEHKM')}{self.digits(7)}"])
        if key in ("member_id", "medicaid_id"):
            return r.choice([f"{''.join(r.choice(string.ascii_uppercase) for _ in range(3))}{self.digits(9)}",
                             f"W{self.digits(9)}", f"{self.digits(5)} {self.digits(5)}", f"M{self.digits(8)}"])
        if key == "group_no":
            return r.choice([self.digits(6), f"GRP-{self.digits(5)}"])
        if key == "npi":
            return "1" + self.digits(9)
        if key == "tin":
            return f"{self.digits(2)}-{self.digits(7)}"
        if key == "license":
            return r.choice([f"LCSW-{self.digits(5)}", f"PSY {self.digits(5)}", f"LPC{self.digits(4)}",
                             f"LMFT {self.digits(6)}", f"MHC-{self.digits(6)}", f"CS{self.digits(5)}"])
        if key == "case_no":
            return r.choice([f"{self.dos_d.year}-CW-{self.digits(6)}", f"APS-{self.digits(7)}",
                             f"{self.digits(2)}CR{self.digits(5)}", f"FL-{self.dos_d.year}-{self.digits(4)}",
                             f"{self.digits(4)}-{self.digits(4)}-{self.digits(3)}"])
        if key == "auth_no":
            return f"PA{self.digits(8)}"
        if key == "claim_no":
            return r.choice([f"CLM{self.digits(10)}", f"{self.digits(4)}-{self.digits(6)}-{self.digits(2)}"])
        if key == "acct":
            return r.choice([self.digits(9), f"A{self.digits(7)}"])
        if key == "emp_id":
            return r.choice([f"E{self.digits(6)}", self.digits(5)])
        if key == "interp_id":
            return self.digits(6)
        if key == "badge":
            return self.digits(4)
        raise KeyError(key)


# ---------------------------------------------------------------------------
# Rendering
# ---------------------------------------------------------------------------

class Builder:
    def __init__(self):
        self.parts: list[str] = []
        self.n = 0
        self.spans: list[dict] = []

    def lit(self, s: str):
        if re.search(r"[{}]|\[\[|\]\]", s):
            raise ValueError(f"stray markup in literal: {s!r}")
        self.parts.append(s)
        self.n += len(s)

    def span(self, label: str, value: str):
        if label not in ALL_LABELS:
            raise ValueError(f"unknown label {label}")
        if value != value.strip() or not value:
            raise ValueError(f"bad span value {value!r}")
        start = self.n
        self.lit(value)
        if label == "AGE":
            num = int(re.search(r"\d+", value).group(0))
            kind = "direct" if num > 89 else "quasi"
        else:
            kind = "quasi" if label in QUASI_LABELS else "direct"
        self.spans.append({"start": start, "end": self.n, "label": label, "kind": kind})

    def text(self):
        return "".join(self.parts)


def render(tpl: str, ctx: Ctx, b: Builder):
    pos = 0
    for m in TOKEN.finditer(tpl):
        b.lit(tpl[pos:m.start()])
        if m.group(1):
            b.span(m.group(1), m.group(2))
        elif m.group(3):
            val = ctx[m.group(4)]
            if "[[" in val:
                raise ValueError(f"annotated slot {m.group(4)} has markup")
            b.span(m.group(3), val)
        elif m.group(5):
            render(ctx[m.group(5)], ctx, b)
        else:
            b.lit(article(strip_markup(ctx[m.group(6)])))
        pos = m.end()
    b.lit(tpl[pos:])


# ---------------------------------------------------------------------------
# Templates (hand-written; each is a different kind of document)
# ---------------------------------------------------------------------------

T = []


def tpl(name, doc_type, text, n=3, kind="adult", cultures=None, overrides=None, setup=None, genders=None):
    T.append(dict(name=name, doc_type=doc_type, text=textwrap.dedent(text).strip("\n"), n=n, kind=kind,
                  cultures=cultures, overrides=overrides, setup=setup, genders=genders or {}))


tpl("soap_depression", "progress_note_soap", """
    Client: {NAME:c_full}    DOB: {DATE:dob}    MRN: {ID:mrn}
    Date of service: {DATE:dos}    Clinician: {NAME:clin_full}, {=clin_cred}
    Location: {ORGANIZATION:clinic}, {CITY:city}, {STATE:state}

    S: Client reports "the same gray fog" since last session. Sleep 4-5 hours; appetite down. States {=he} will follow up with {NAME:pcp_drlast} about the sertraline 50 mg, which {=he} feels "isn't doing anything." Describes work at {ORGANIZATION:employer} as "pushing a boulder uphill like Sisyphus." {=His} partner {NAME:p_first} has been covering the morning routine with their son {NAME:ch_first}.

    O: Casually dressed, psychomotor slowing, affect constricted, good eye contact. PHQ-9 = 19 (up from 16 on {DATE:prev}); Beck Depression Inventory (BDI-II) 29. GAD-7 = 9. Denies SI/HI; C-SSRS screen negative.

    A: F33.1 Major depressive disorder, recurrent, moderate. Symptoms rose from the moderate to the moderately severe range; hope is low but client remains engaged. Behavioral activation homework partially completed.

    P: Continue weekly CBT, 53-minute sessions (90837). Client may benefit from a medication review; writer will send a release to {NAME:pcp_dr} at {ORGANIZATION:pcp_clinic}, fax {FAX:fax}. Next appointment {DATE:next} at 4:00 pm.

    {NAME:clin_full}, {=clin_cred}
""", n=4, genders={"ch": "m"})

tpl("soap_panic", "progress_note_soap", """
    SOAP NOTE - INDIVIDUAL PSYCHOTHERAPY
    Pt: {NAME:c_hon}  |  Age: {AGE:age}  |  DOS {DATE:dos_num}
    Provider: {NAME:clin_dr}

    S: {NAME:c_first} is {^occupation} {OCCUPATION:occupation} who had two panic attacks this week, one while driving on {=highway} near {CITY:city}. Reports chest tightness, tingling hands, "like I'm dying." Went to the ED at {ORGANIZATION:hospital} on {DATE:incident_ny}; troponin negative, EKG normal sinus rhythm. Compares the feeling to "the dementors in Harry Potter sucking the air out."

    O: Alert, oriented x4. Restless, fidgeting. Speech rapid but coherent. GAD-7 of 16, PDSS 14. HR 96 per client's smartwatch during session.

    A: F41.0 Panic disorder. Avoidance of highway driving is expanding. No substance use; caffeine approx. 4 cups/day.

    P: Interoceptive exposure introduced (spinning, straw breathing). Reduce caffeine. Discussed propranolol 10 mg PRN with {NAME:psy_drlast}; will follow up after {=his} appointment on the {DATE:ord}. Client may call the clinic at {PHONE:clinic_phone} if symptoms escalate. Return in 1 week.
""", n=4)

tpl("soap_grief_elder", "progress_note_soap", """
    Progress Note (SOAP)
    Client: {NAME:c_fullmi}   DOB: {DATE:dob}   Age: {AGE:age}
    Seen at: {LOCATION:facility}, {LOCATION:room}   Date: {DATE:dos}

    S: {NAME:c_hon} is a {AGE:age_yo} {=widow} whose spouse of 61 years, {NAME:sp_first}, died on {DATE:incident}. States, "I keep setting out two cups for coffee." {=His} {=ch_rel} {NAME:ch_full} visits on weekends from {CITY:city2}. Reports poor sleep and reduced appetite; weight down 3 lb per nursing.

    O: Well groomed, tearful when discussing the funeral at {ORGANIZATION:church}. Hearing aids in place. MoCA 24/30 last month per chart. GDS-15 score 8. No SI; states, "I'm not in a hurry to go, but I'm ready when the Lord is."

    A: Adjustment disorder with depressed mood (F43.21); Z63.4 bereavement. Grief appears within the expected range; client may benefit from continued supportive therapy. Compares self to "Eeyore on a rainy day," with some humor.

    P: Meet weekly, 45 minutes (90834). Coordinate with unit nurse {NAME:o1_full}, RN, regarding sleep. Encourage attendance at the hymn sing in the activity room. Next session {DATE:next}.
""", kind="elder", n=4)

tpl("dap_substance", "progress_note_dap", """
    DAP NOTE
    Client Name: {NAME:c_full}          Client ID: {ID:mrn}
    Session Date: {DATE:dos}             Session Type: Individual, 60 min
    Counselor: {NAME:clin_full}, {=clin_cred}
    Program: {ORGANIZATION:clinic} Intensive Outpatient

    D: Client arrived on time and reports 47 days sober from alcohol as of today. Attended three AA meetings this week at {ORGANIZATION:church}. Urine drug screen negative; breathalyzer 0.00. Client described strong urges after running into an old drinking buddy, {NAME:fr_full}, outside the liquor store on {LOCATION:street_name}. Client used urge surfing and called {=his} sponsor, {NAME:o1_first}, instead. Reports {=his} probation officer, {NAME:o2_hon}, will receive an attendance letter. AUDIT-C previously 10. Naltrexone 50 mg daily continues via {NAME:psy_dr}.

    A: F10.20 Alcohol use disorder, moderate, in early remission. Client demonstrates improved coping; motivation appears strong ("I want to be there for {NAME:ch_first}'s graduation in {DATE:month}"). Relapse risk moderate given the upcoming anniversary of {=his} brother's death.

    P: Continue IOP 3x/week; relapse prevention module 4 next. Counselor will bill H0015. Client to bring court form for case no. {ID:case_no}. Next individual session {DATE:next}.
""", n=4)

tpl("dap_trauma_emdr", "progress_note_dap", """
    Date: {DATE:dos}   Client: {NAME:c_init}   Session #14   Modality: EMDR
    Therapist: {NAME:clin_full}, {=clin_cred}

    Data: Client, {^age_yo} {AGE:age_yo} {OCCUPATION:occupation}, continued reprocessing the target memory from {DATE:event_year}, when {=he} {=event_bare}. SUDS at start 7/10, at end 2/10. VOC rose from 3 to 5. Client reports nightmares decreased from nightly to twice weekly. PCL-5 = 38 (baseline 56 on {DATE:intake}). Prazosin 2 mg qhs per {NAME:psy_drlast}.

    Assessment: F43.10 PTSD. Good response to Phase 4 desensitization; dissociation minimal (DES-II below cutoff). Client said {=he} felt "like Frodo finally dropping the ring." Spouse {NAME:p_first} attended the first 10 minutes to learn the safe-place cue.

    Plan: Continue EMDR weekly. Install future template next session. Grounding skills reviewed. Client will follow up with {ORGANIZATION:employer} HR about FMLA paperwork; writer to complete the form by {DATE:next}.
""", n=4)

tpl("birp_case_management", "progress_note_birp", """
    BIRP Progress Note - Community Support
    Consumer: {NAME:c_full}   Medicaid ID: {ID:member_id}   DOB: {DATE:dob}
    Date/Time: {DATE:dos_num}, 10:30-11:45 am   Staff: {NAME:clin_full}, QMHP
    Contact location: client's apartment, {STREET_ADDRESS:street}, {CITY:city}

    B: Consumer answered the door after several knocks; apartment cluttered, refrigerator nearly empty. Reports hearing "the voices from the radio" less since the Invega Sustenna 156 mg injection on {DATE:prev}. Landlord {NAME:o1_hon} left a notice about overdue rent; consumer states the bill from the pharmacy is also past due.
    I: Staff reviewed the budget, assisted consumer in calling {ORGANIZATION:agency} at {PHONE:phone2} to request rental assistance, and scheduled a ride to {ORGANIZATION:pantry}.
    R: Consumer engaged, maintained eye contact intermittently, thought process tangential at times. Agreed to let staff speak with {=his} sister {NAME:sib_full} ({PHONE:phone3}). BPRS not administered this visit.
    P: Staff will follow up on the rental assistance application within 2 weeks and accompany consumer to the {DATE:next} appointment with {NAME:psy_dr}. Dx: F20.0 Schizophrenia.
""", n=4, genders={"sib": "f"})

tpl("birp_adolescent", "progress_note_birp", """
    BIRP NOTE
    Client: {NAME:c_full} (minor, {AGE:age_yo})   DOB {DATE:dob}
    School: {ORGANIZATION:school}, {=grade}
    DOS: {DATE:dos}   Therapist: {NAME:clin_full}, {=clin_cred}

    Behavior: {NAME:c_first} arrived with {=his} mother, {NAME:mo_hon}, who reported two office referrals this month for "mouthing off" to {NAME:tch_hon}. Client sat with hood up and answered in single words, then became animated discussing Minecraft. Admits to vaping "a few times" with friend {NAME:fr_first}.
    Intervention: Used motivational interviewing and a CBT thought record about the referral incident. Reviewed the school's 504 plan; client was unaware {=he} has extended test time.
    Response: {NAME:c_first} identified the thought "everyone thinks I'm stupid" and generated one alternative. CDI-2 T-score 62. Mother feels {=he} may benefit from a mentor; grandfather {NAME:gf_first} "used to be that person before he moved back to {LOCATION:country}."
    Plan: Weekly sessions; collateral call with school counselor {NAME:sc_full} ({EMAIL:sc_email}). Safety plan not indicated; no SI. Next session {DATE:next}.
""", kind="tween", n=4)

tpl("intake_adult", "intake_assessment", """
    INITIAL PSYCHOSOCIAL ASSESSMENT
    {ORGANIZATION:clinic} | {STREET_ADDRESS:clinic_street}, {CITY:clinic_city}, {STATE:state} {ZIP:clinic_zip} | Tel {PHONE:clinic_phone}

    Name: {NAME:c_fullmi}
    DOB: {DATE:dob} (age {AGE:age})
    SSN: {ID:ssn}
    Address: {STREET_ADDRESS:street}, {CITY:city}, {STATE:state} {ZIP:zip}
    Phone: {PHONE:phone}   Email: {EMAIL:email}
    Emergency contact: {NAME:p_full} (spouse), {PHONE:phone2}
    Insurance: {ORGANIZATION:insurer}, Member ID {ID:member_id}
    Referred by: {NAME:pcp_dr}
    Date of intake: {DATE:dos}

    Presenting problem: "I can't stop worrying since the layoff." Client is {^ethnicity} {ETHNICITY:ethnicity} {OCCUPATION:occupation} who was laid off from {ORGANIZATION:employer} on {DATE:incident}.
    Social history: Born in {CITY:city2}, {STATE:state2}; moved here in {DATE:year}. Married to {NAME:p_first}; two children, {NAME:ch_first} and {NAME:ch2_first}. Attends {ORGANIZATION:church} and describes {=his} {RELIGION:religion} faith as central.
    Substance use: 2-3 beers on weekends; denies drugs. AUDIT 5.
    Mental status: Cooperative, anxious affect, linear thought process. Client {=physical}. No SI/HI.
    Screening: PHQ-9 11, GAD-7 15.
    Diagnosis: F41.1 Generalized anxiety disorder.
    Recommendations: Weekly CBT; client may benefit from ACT values work. Will follow up with PCP regarding hydroxyzine 25 mg PRN.
""", n=4)

tpl("intake_child", "intake_assessment", """
    CHILD & ADOLESCENT INTAKE
    Child: {NAME:c_full}   Preferred name: {NAME:c_nick}
    DOB: {DATE:dob}   Age: {AGE:age}   Grade: {=grade}
    School: {ORGANIZATION:school}, {CITY:city}
    Parent/guardian: {NAME:mo_full} (mother) {PHONE:phone}; {NAME:fa_full} (father) {PHONE:phone2}
    Custody: joint; father resides in {CITY:city2}, {STATE:state2}.
    Pediatrician: {NAME:pcp_dr}, {ORGANIZATION:pcp_clinic}
    Intake date: {DATE:dos}   Clinician: {NAME:clin_full}, {=clin_cred}

    Reason for referral: Teacher {NAME:tch_hon} reports that {NAME:c_first} cries at drop-off, complains of stomachaches, and has missed 11 days since {DATE:month}. Parents separated in {DATE:year}.
    Developmental: Born at 38 weeks, Apgar 8/9, milestones on time. Brief motor tics last year; pediatrician ruled out Tourette's.
    Family: Lives with mother, half-sibling {NAME:sib_first} (age {AGE:sib_age}), and maternal grandmother {NAME:gm_hon}. {NAME:c_first} is {FAMILY:family_child}.
    Screening: SCARED parent 41, child 33. Vanderbilt negative for ADHD.
    Impression: F93.0 Separation anxiety disorder.
    Plan: Weekly CBT with parent coaching (Coping Cat program); coordinate with the school counselor; mother will bring the IEP paperwork. Young children often benefit from graduated exposure to the drop-off routine.
""", kind="young")

tpl("intake_refugee", "intake_assessment", """
    Intake Assessment - Refugee & Immigrant Wellness Program
    {ORGANIZATION:clinic}
    Client: {NAME:c_full}   DOB: {DATE:dob_dmy}   Clinic #: {ID:mrn}
    Date: {DATE:dos}   Interpreter: {NAME:o1_full} ({ETHNICITY:language}), phone line ID {ID:interp_id}

    Client is a {AGE:age_yo} {ETHNICITY:ethnicity} {=woman_man} who arrived in {CITY:city} in {DATE:month_year} after four years in {=transit}. Speaks {ETHNICITY:language}; limited English. Before displacement, client worked as {^occupation} {OCCUPATION:occupation}. Currently employed on the overnight shift at {ORGANIZATION:employer}. Lives in {LOCATION:neighborhood} with {=his} sister {NAME:sib_full} and her three children.
    Trauma history: Client's brother was killed in {DATE:year}; client was detained for three weeks and beaten. Reports nightmares, startle, and avoidance of men in uniform. RHS-15 = 21 (positive); HTQ administered.
    Faith: Describes {=himself} as {^religion} {RELIGION:religion} and finds strength in prayer.
    Medical: Hypertension; amlodipine 5 mg daily. Last visit with {NAME:pcp_dr} on {DATE:prev}.
    Plan: Trauma-focused CBT with an interpreter; referral to {ORGANIZATION:agency2} for legal help before the asylum hearing on {DATE:next_full}. Client was given the clinic number {PHONE:clinic_phone} and the 988 crisis line.
""", cultures=REFUGEE_CULTURES, genders={"sib": "f"})

tpl("treatment_plan_adult", "treatment_plan", """
    INDIVIDUALIZED TREATMENT PLAN
    Client: {NAME:c_full}     MRN: {ID:mrn}     DOB: {DATE:dob}
    Plan date: {DATE:dos}     Review date: {DATE:review}
    Primary clinician: {NAME:clin_full}, {=clin_cred}   Supervisor: {NAME:sup_dr}
    Diagnoses: F33.1 MDD, recurrent, moderate; F43.10 PTSD; Z59.0 Homelessness (resolved)

    Problem 1: Depressed mood interfering with work at {ORGANIZATION:employer}.
      Goal: "Get back to feeling like myself by summer."
      Objective 1a: Reduce PHQ-9 from 18 to below 10 within 12 weeks.
      Objective 1b: Schedule 3 pleasant activities per week (e.g., walks in {LOCATION:park}).
      Interventions: CBT, behavioral activation, weekly 53-minute sessions.
    Problem 2: Trauma symptoms since client {=event}.
      Objective 2a: Reduce PCL-5 by at least 10 points.
      Interventions: Cognitive Processing Therapy (12 sessions).
    Problem 3: Social isolation since moving to {CITY:city}.
      Objective 3a: Attend one group per week at {ORGANIZATION:church} or the public library.
    Strengths: Bilingual in English and {ETHNICITY:language}; close to sister {NAME:sib_first}; plays bass in a band.
    Client participated in developing this plan and agrees with the goals.
    Client signature: {NAME:c_full}   Date: {DATE:dos_num}
    Clinician signature: {NAME:clin_full}, {=clin_cred}   Date: {DATE:dos_num}
""", genders={"sib": "f"})

tpl("treatment_plan_minor", "treatment_plan", """
    Treatment Plan - Child/Adolescent Services
    Youth: {NAME:c_full}   Age {AGE:age}   DOB {DATE:dob}   Case # {ID:mrn}
    Guardian: {NAME:mo_full}   Phone: {PHONE:phone}
    School: {ORGANIZATION:school} (IEP in place; case manager {NAME:tch_hon})
    Date: {DATE:dos}

    Diagnosis: F90.2 ADHD, combined presentation; F91.3 ODD.
    Medications: Adderall XR 20mg qAM, guanfacine ER 1 mg (per {NAME:psy_dr}).
    Goal 1: Decrease physical aggression at home from 4x/week to 1x/week.
      - Parent Management Training with {NAME:mo_first} and stepfather {NAME:fa_first}, weekly.
      - Daily behavior chart; reward menu created with {NAME:c_first}.
    Goal 2: Improve school functioning; fewer than 2 office referrals per month.
      - Monthly collateral contact with teacher; Vanderbilt teacher form.
    Goal 3: Strengthen relationship with sibling {NAME:sib_first}.
    Youth's words: "I want to stop getting in trouble so I can play for {ORGANIZATION:team}."
    Crisis plan: Guardian to call 911 or mobile crisis at {PHONE:crisis_phone}.
    Review: every 90 days; next review {DATE:review}.
    Signed: {NAME:clin_full}, {=clin_cred}; Guardian: {NAME:mo_full}
""", kind="minor")

tpl("discharge_inpatient", "discharge_summary", """
    DISCHARGE SUMMARY - {ORGANIZATION:hospital}, {LOCATION:unit}
    Patient: {NAME:c_lastfirst}   MRN {ID:mrn}   Acct {ID:acct}
    Admission: {DATE:admit}   Discharge: {DATE:disch}   Attending: {NAME:psy_dr}
    Legal status: 72-hour hold converted to voluntary.

    Reason for admission: {AGE:age_yo} {OCCUPATION:occupation} brought by police from {=landmark} after a suicide attempt by overdose (acetaminophen, ~40 tablets). Acetaminophen level 112 mcg/mL at 4 hours; treated with NAC in the ED prior to transfer.
    Hospital course: Started sertraline 50 mg, titrated to 100 mg; quetiapine 50 mg qhs for sleep. Attended DBT-informed groups. Family meeting on {DATE:incident_ny} with brother {NAME:sib_full} and partner {NAME:p_full}. C-SSRS at discharge: no current ideation.
    Discharge diagnosis: F32.2 MDD, single episode, severe without psychotic features.
    Disposition: Home to {STREET_ADDRESS:street}, {CITY:city}.
    Follow-up: {NAME:clin_full}, {=clin_cred}, at {ORGANIZATION:clinic} on {DATE:next_full} at 2:00 pm; phone {PHONE:clinic_phone}. PCP {NAME:pcp_dr} to recheck LFTs in 1 week.
    Safety plan reviewed; firearms removed from the home and stored with {NAME:fa_hon}.
""", genders={"sib": "m"})

tpl("discharge_outpatient", "discharge_summary", """
    Outpatient Discharge Summary
    Client: {NAME:c_full}   DOB: {DATE:dob}   Record #: {ID:mrn}
    Dates of treatment: {DATE:intake} to {DATE:dos}   Sessions attended: 22 of 26
    Therapist: {NAME:clin_full}, {=clin_cred}

    Reason for referral: Referred by {NAME:o1_dr} at the {ORGANIZATION:university} counseling center for social anxiety and insomnia.
    Course of treatment: CBT for social anxiety and CBT-I. Client made steady gains: SPIN decreased from 48 to 19; ISI from 20 to 7. Client joined a climbing gym and began dating {NAME:p_first}. {=He} gave a presentation at {ORGANIZATION:employer} in {DATE:month} that {=he} had avoided for two years.
    Reason for discharge: Goals met; mutual agreement.
    Diagnosis at discharge: F40.10 Social anxiety disorder, in partial remission.
    Recommendations: Continue melatonin 3 mg as needed; return to care if symptoms recur. Young adults often relapse around transitions, so client was given a relapse-prevention plan. Client may contact the office at {PHONE:clinic_phone} or {EMAIL:clinic_email}.

    {NAME:clin_full}, {=clin_cred}    License {ID:license}
""", kind="young_adult")

tpl("supervision_deaf_client", "supervision_case_presentation", """
    Case presentation for group supervision with {NAME:sup_dr}, {DATE:dos}

    I'd like to present {NAME:c_init}, {^age_yo} {AGE:age_yo} {CONDITION:cond_adj} {OCCUPATION:occupation} from {CITY:town}, {STATE:town_state}, a town of about 2,000 people, where {=he} is, as {=he} put it, "the only one." {=He} grew up in {CITY:city2}, attended the {ORGANIZATION:deaf_school}, and later earned a degree at {ORGANIZATION:university}. Sessions are conducted in ASL with interpreter {NAME:o1_full}, which itself raises confidentiality questions because {NAME:o1_first} also interprets for {=his} mother, {NAME:mo_first}.

    {NAME:c_first} came in after {=his} marriage to {NAME:p_first} ended in {DATE:month_year}. {=He} is {FAMILY:family} and says {=his} siblings "never learned to sign past the basics." {=He} has been drinking alone most evenings and missed two shifts at {ORGANIZATION:employer}. PHQ-9 is 17. No SI reported.

    My stuck point: I notice I over-function, re-explaining concepts and checking understanding far more than I would with a hearing client. I'm also aware that consulting with anyone locally would effectively identify {=him}. I'd welcome thoughts on using the interpreter well and on whether I'm pathologizing what may be reasonable mistrust of hearing providers.
""", overrides={"cond_adj": ["Deaf", "Deaf", "hard-of-hearing", "DeafBlind"]}, n=4)

tpl("supervision_countertransference", "supervision_notes", """
    Supervision notes - {NAME:clin_full} with {NAME:sup_full}, {=sup_cred}
    Date: {DATE:dos}

    Case: {NAME:c_first_li}, {AGE:age_yo} {=woman_man}, {ETHNICITY:ethnicity}, referred after a DUI. Works as {^occupation} {OCCUPATION:occupation} at {ORGANIZATION:employer} and coaches {=his} daughter {NAME:ch_first}'s soccer team at {ORGANIZATION:school}.

    Discussion: I noted irritation when {NAME:c_first} minimizes the arrest ("everyone in {CITY:city} drives home after the {ORGANIZATION:bar}"). {NAME:sup_first} wondered whether the joking style reminds me of my father. I recognized that I had started to sound like a probation officer. We discussed the difference between accountability and shame, and the Stages of Change model; client appears to be in contemplation. AUDIT score 19. Client will follow up with the DUI class (court case {ID:case_no}).

    Ethics: Client recently learned that my spouse works at {ORGANIZATION:employer2} and asked about it. Discussed dual-relationship risk in a small community and documenting the boundary conversation.

    Plan: Use MI; role-play reflective listening at next supervision on {DATE:next}. Hours logged: 1.0 individual supervision toward licensure (associate license {ID:license}).
""", genders={"ch": "f"})

tpl("case_conference", "team_meeting_minutes", """
    Interdisciplinary Team Meeting - {ORGANIZATION:clinic}
    Date: {DATE:dos}, 12:00-1:00 pm
    Present: {NAME:sup_dr} (Clinical Director), {NAME:psy_dr} (psychiatry), {NAME:clin_full}, {=clin_cred}, {NAME:o1_full}, RN, {NAME:o2_full} (peer specialist)

    1. {NAME:c_full} (MRN {ID:mrn}) - Increased paranoia after eviction from {STREET_ADDRESS:street}. Now staying at {LOCATION:shelter}. {NAME:psy_drlast} will restart clozapine 100 mg with ANC monitoring; last ANC 2.1. Peer specialist to accompany client to {ORGANIZATION:agency} on {DATE:next}.
    2. {NAME:x_full} - Ongoing anger toward ex-partner; team reviewed the duty-to-warn threshold, which is not met. Clinician will follow up with the client's mother, {NAME:x_mo_hon}, at {PHONE:phone2} per signed ROI.
    3. {NAME:y_init} - {AGE:y_age_yo} {OCCUPATION:occupation2} who {=cond_pred}; team to arrange accommodations for group. Client declined referral to vocational rehab. The team noted the client {=physical} and is easily recognized in the waiting room, so a side entrance was offered.
    Next meeting {DATE:next_full}. Minutes recorded by {NAME:o1_full}.
""")

tpl("group_dbt", "group_note", """
    GROUP PROGRESS NOTE - DBT Skills Group (Distress Tolerance, week 4)
    Facility: {ORGANIZATION:clinic}, {LOCATION:room_group}
    Date: {DATE:dos}   Time: 5:30-7:00 pm (90 min), CPT 90853
    Facilitators: {NAME:clin_full}, {=clin_cred}; {NAME:o1_full}, {=o1_cred}
    Members present: {NAME:g1_full}, {NAME:g2_full}, {NAME:g3_full}, {NAME:g4_full}, {NAME:g5_full}. Absent: {NAME:g6_full} (excused).

    Note for {NAME:g1_full}: Member shared diary card; urges to self-harm 2/5, no actions. Practiced TIPP skills with ice water. {NAME:g1_first} offered support to {NAME:g3_first}, who disclosed a breakup, and described the skills as "a cheat code." Referenced the Hulk from the Marvel movies to describe anger. Observed: engaged, bright affect, on time.
    Plan: Continue group. Member will follow up with individual therapist {NAME:o2_full} on {DATE:next}. Homework: practice ACCEPTS twice daily and complete the chain analysis worksheet. No safety concerns voiced.
""")

tpl("group_grief", "group_note", """
    Bereavement Support Group - Session 6 of 8
    {ORGANIZATION:hospice}   Meeting at {ORGANIZATION:church}, Fellowship Hall
    Date: {DATE:dos}   Leader: {NAME:clin_full}, {=clin_cred}

    Attendance (6): {NAME:g1_hon}, {NAME:g2_full}, {NAME:g3_first} and {NAME:g4_full} (siblings), {NAME:g5_full}, and {NAME:g6_first}, a new member.
    Theme: anniversaries and "firsts." {NAME:g2_first} described the first holiday season since being widowed. {NAME:g1_hon} brought a photo from the wedding on {DATE:wedding} and said hope is "something I borrow from this group." {NAME:g5_first}, whose son died in {DATE:year}, compared grief to the waves in a Mary Oliver poem. {NAME:g3_first} and {NAME:g4_first} disagreed about selling their father's house in {CITY:city}.
    Interventions: Psychoeducation on prolonged grief (PG-13 screen offered); memory-box activity. Members rose from their seats to light candles.
    Follow-up: Leader will follow up with {NAME:g6_first} by phone ({PHONE:phone}) regarding the intake form. Next group {DATE:next}, 6:00 pm.
""", setup=lambda c: c.person("g4", culture=c.person("g3")["culture"], surname=c.person("g3")["last"]))

tpl("group_adolescent_iop", "group_note", """
    Adolescent IOP Group Note
    Program: {ORGANIZATION:clinic} Teen Day Program    Date: {DATE:dos}
    Group: Process group, 60 min    Facilitator: {NAME:clin_full}, {=clin_cred}
    Participants (initials per policy): {NAME:g1_init}, {NAME:g2_init}, {NAME:g3_init}, {NAME:g4_init}, {NAME:g5_init}

    Individual note for {NAME:c_full} (DOB {DATE:dob}, age {AGE:age}):
    {NAME:c_first} discussed being excluded from a group chat by classmates at {ORGANIZATION:school} and said someone posted a photo of {=him} from the account {SOCIAL_HANDLE:handle2}. {NAME:g2_init} related similar experiences. {NAME:c_first} appeared tearful but engaged and accepted feedback. Facilitator reviewed the Snapchat reporting process; client agreed to show screenshots to {=his} father, {NAME:fa_full}.
    Skills: Opposite action; check the facts (DBT-A).
    Risk: Denies SI today; C-SSRS negative.
    Plan: Family session {DATE:next} with {NAME:fa_first} and stepmother {NAME:mo_first}; IOP continues 3 days/week until {DATE:review_ny}.
""", kind="teen")

tpl("couples_gottman", "couples_session", """
    Couples Session Note
    Clients: {NAME:p1_full} and {NAME:p2_full}   Chart #: {ID:mrn}
    Date: {DATE:dos}   Session 5   Therapist: {NAME:clin_dr}
    Modality: Gottman Method with EFT interventions

    {NAME:p1_first} and {NAME:p2_first} arrived separately. Conflict this week centered on {NAME:p2_first}'s mother, {NAME:p2_mo_hon}, moving in after her hip surgery at {ORGANIZATION:hospital}. {NAME:p1_first} described feeling "like a guest in my own home." Therapist observed criticism and defensiveness (two of the Four Horsemen) and coached a softened start-up. {NAME:p2_first} was able to say, "I hear that you miss us." Both rated the session 4/5. They also revisited the grace period they agreed on for phones at dinner. They plan to celebrate their anniversary on {DATE:anniv}; they married at {ORGANIZATION:church} in {DATE:year} and describe their [[RELIGION:Christian]] faith as a shared strength.
    Homework: Stress-reducing conversation, 20 minutes daily; Love Maps card deck.
    Diagnosis code: Z63.0 Relationship distress with spouse or intimate partner.
    Next session: {DATE:next}, 6:30 pm.
""", setup=lambda c: c.person("p2_mo", gender="f", culture=c.person("p2")["culture"]),
    overrides={"religion": ["Catholic", "Baptist", "Lutheran", "Methodist", "Presbyterian", "Pentecostal"]})

tpl("couples_infidelity", "couples_session", """
    Conjoint session, {DATE:dos}. Present: {NAME:p1_first} ({AGE:p1_age}, {OCCUPATION:occupation}) and {NAME:p2_first} ({AGE:p2_age}).

    Session focused on the disclosure three weeks ago that {NAME:p2_first} had an emotional affair with a coworker, {NAME:x_full}, at {ORGANIZATION:employer}. {NAME:p1_first} found messages from a number saved as "{NAME:x_first}" ({PHONE:phone3}) and an Instagram account, {SOCIAL_HANDLE:x_handle}. {NAME:p1_first} alternated between rage and numbness and said, "I keep replaying it like a Netflix show I can't turn off." {NAME:p2_first} expressed remorse and agreed to transparency, including sharing phone passwords. Discussed the Gottman atone-attune-attach model and the difference between secrecy and privacy.
    Both denied IPV; separate safety screens were completed prior to session (negative). Children {NAME:ch_first} and {NAME:ch2_first} are staying with grandparents in {CITY:city2} this weekend.
    {NAME:p2_first} will end contact in writing by {DATE:next_ny}; {NAME:p1_first} may attend an individual session with {NAME:o1_dr}. Follow up in one week.
    Therapist: {NAME:clin_full}, {=clin_cred}, {ORGANIZATION:clinic}
""")

tpl("family_session_minor", "family_session", """
    Family Therapy Note - {DATE:dos}
    Identified client: {NAME:c_full}, age {AGE:age}, {=grade} at {ORGANIZATION:school}
    Present: mother {NAME:mo_full}, father {NAME:fa_full}, sibling {NAME:sib_first} ({AGE:sib_age}), and maternal aunt {NAME:aunt_hon} (joined by speakerphone from {CITY:city2}).
    Therapist: {NAME:clin_full}, {=clin_cred}

    The family met following {NAME:c_first}'s suspension on {DATE:incident_ny} for bringing a vape pen to school. {NAME:fa_first} stated that {=he} "needs consequences, not therapy." {NAME:mo_first} cried and said she will follow up with the assistant principal, {NAME:tch_hon}. Using structural family therapy, therapist mapped alliances: {NAME:c_first} and {NAME:mo_first} enmeshed; {NAME:fa_first} disengaged, working double shifts at {ORGANIZATION:employer}. The family is {ETHNICITY:ethnicity} and attends {ORGANIZATION:church}; parents worry that their faith community will hear about the suspension.
    Homework: one 15-minute family dinner without phones, three nights this week. {NAME:sib_first} may benefit from individual support; referral given.
    Next session: {DATE:next}.
""", kind="teen", n=4)

tpl("family_meeting_elder", "family_session", """
    Family Meeting Note - Geriatric Psychiatry Consult Service, {ORGANIZATION:hospital}
    Patient: {NAME:c_full}, {AGE:age_yo}, MRN {ID:mrn}
    Date: {DATE:dos}   Location: {LOCATION:unit}
    Present: {=ch_rel} {NAME:ch_full} (health care proxy), {=ch2_rel} {NAME:ch2_full} (by phone from {CITY:city2}, {STATE:state2}), social worker {NAME:o1_full}, {=o1_cred}, and writer.

    Discussion: {NAME:c_hon} was admitted after being found on the floor of {=his} home at {STREET_ADDRESS:street}, {CITY:city}, where {=he} has lived alone since {DATE:year}. MoCA 17/30; delirium resolving. No signs of Parkinson's; mother had Alzheimer's disease. {NAME:ch_first} reports increasing confusion since {DATE:month}, including leaving the stove on and calling family at 3 am. The family disagreed about placement: {NAME:ch2_first} favors {LOCATION:facility}, while {NAME:ch_first} wants to move {=him} into the family home. {NAME:c_hon} stated clearly, "I was born in that house and I'll die in it." Capacity for the placement decision assessed as impaired today; reassess in 48 hours.
    Plan: OT home-safety evaluation; APS referral not indicated at this time; donepezil 5 mg deferred to PCP {NAME:pcp_dr}.
""", kind="elder")

tpl("school_collateral", "collateral_contact", """
    Collateral Contact Note
    Client: {NAME:c_full} (DOB {DATE:dob})   Date/time: {DATE:dos}, 2:10 pm   Duration: 20 min
    Contact: Phone call with {NAME:tch_full}, {=grade_teacher} teacher at {ORGANIZATION:school} ({PHONE:school_phone}); ROI on file dated {DATE:roi_date}.

    {NAME:tch_hon} reports {NAME:c_first} has been "a different kid" since winter break: head down, not turning in work, and eating lunch alone in the library for two weeks. Grades dropped from B's to D's in math and science. The teacher noticed a drawing of a noose in {=his} notebook on {DATE:incident_ny} and sent it to the school psychologist, {NAME:o1_dr}, who completed a screen that day. The teacher also mentioned that {NAME:c_first}'s older brother {NAME:sib_first} was recently arrested, "which the whole town knows about."
    Writer shared (within ROI limits) that client is in weekly treatment and that a safety plan is in place. Agreed to coordinate on a check-in/check-out system.
    Plan: Writer will follow up with mother {NAME:mo_hon} today and update the safety plan; contact teacher again in 2 weeks. Consider a 504 evaluation.
""", kind="tween", genders={"sib": "m"})

tpl("play_therapy", "progress_note_minor", """
    Play Therapy Progress Note
    Child: {NAME:c_full}   Age: {AGE:age}   DOB: {DATE:dob}
    Session: {DATE:dos}, 45 min, CPT 90834   Therapist: {NAME:clin_full}, {=clin_cred}, RPT
    Guardian in waiting room: foster mother {NAME:fm_full}
    DCS caseworker: {NAME:cw_full}, case # {ID:case_no}

    Child-centered play therapy. {NAME:c_first} went straight to the sand tray and buried a small police car, then a "mommy" figure. {=He} named one doll "{NAME:bio_mo_first}," the name of {=his} biological mother, and had it "go away on a bus to {CITY:city2}." Themes of abandonment and rescue; Spider-Man repeatedly saved the baby figures. Play was less chaotic than last session. {=He} asked to watch Bluey afterward and compared the foster family's dog to Clifford.
    Foster mother reports nightmares 2x/week and bedwetting. {NAME:c_first} started at {ORGANIZATION:school} on {DATE:start_date}; teacher is {NAME:tch_hon}.
    Plan: Continue weekly CCPT; TF-CBT to be considered once placement is stable. Visits with the biological mother are supervised at {LOCATION:visit_center} per court order; next visit {DATE:next}. Will follow up with caseworker {NAME:cw_hon} regarding the permanency hearing.
""", kind="young", genders={"fm": "f"})

tpl("telehealth_zoom", "teletherapy_note", """
    TELEHEALTH PROGRESS NOTE
    Client: {NAME:c_full}   DOB: {DATE:dob}   MRN: {ID:mrn}
    Date of service: {DATE:dos}   Start 9:02 am, end 9:55 am (53 min)   CPT 90837-95, POS 10
    Platform: Zoom for Healthcare - {URL:zoom_url}
    Client location (verified at start): home, {STREET_ADDRESS:street}, {CITY:city}, {STATE:state} {ZIP:zip}
    Provider location: {ORGANIZATION:clinic}, {CITY:clinic_city}
    Backup contact if disconnected: {PHONE:phone}; email on file {EMAIL:email}
    Connection log: client joined 9:01 am from {IP_ADDRESS:ip}, video and audio stable
    Telehealth consent reviewed; emergency contact {NAME:p_full} ({PHONE:phone2}).

    Client logged in from {=his} car in the driveway "for privacy from the kids." Discussed ongoing insomnia; ISI 18. Client reports {=his} manager at {ORGANIZATION:employer} texts after 10 pm. CBT-I: sleep window set at 12:30-6:00 am; stimulus control reviewed. Client quoted a Taylor Swift lyric about being "the problem" and laughed.
    Assessment: F51.01 Primary insomnia; F41.1 GAD, stable.
    Plan: Sleep diary; next video session {DATE:next} using the same link. Will follow up by email if {=he} cannot connect.
""", n=4)

tpl("telehealth_connection", "teletherapy_note", """
    Video visit - {DATE:dos}
    Client: {NAME:c_full}, {AGE:age_yo_any}
    Clinician: {NAME:clin_dr}, {ORGANIZATION:clinic}
    Room: {URL:doxy_url}

    Tech note: Connection dropped three times (4:12, 4:20 and 4:31 pm). Session log shows client joined from IP {IP_ADDRESS:ip} rather than the usual {IP_ADDRESS:ip2}; client confirmed {=he} was staying at {=his} cousin {NAME:cousin_full}'s apartment in {CITY:city2} for the weekend. Per telehealth policy, writer confirmed the physical address ({STREET_ADDRESS:street2}, {CITY:city2}, {STATE:state2}) and local emergency number before continuing. Switched to phone at {PHONE:phone} for the last 20 minutes.

    Clinical: Client discussed conflict with a roommate and feeling "stuck like Bill Murray in Groundhog Day." Reports using the Calm app nightly. PHQ-9 9, down from 13. Will follow up next week; client may join from the library if home Wi-Fi remains unstable. Secure message sent to {EMAIL:email} with a grounding worksheet.
""", n=4)

tpl("telehealth_crisis", "teletherapy_note", """
    Telehealth crisis contact note
    Date: {DATE:dos}, 8:47 pm   Modality: phone, then video (Google Meet {URL:meet_url})
    Client: {NAME:c_full}   Cell: {PHONE:phone}
    On-call clinician: {NAME:clin_full}, {=clin_cred}

    Client called the after-hours line stating {=he} had "a plan and the pills." {=He} was initially unwilling to give {=his} location. Writer kept client engaged while colleague {NAME:o1_full} contacted the {ORGANIZATION:police} non-emergency line ({PHONE:police_phone}). Client eventually said {=he} was parked at {=landmark} near {LOCATION:neighborhood}. Client's Instagram ({SOCIAL_HANDLE:handle}) had posted a goodbye message at 8:15 pm, which {=his} friend {NAME:fr_full} saw and reported to us by email from {EMAIL:fr_email}.
    Officers arrived at 9:22 pm; client agreed to voluntary transport to {ORGANIZATION:hospital}. In the car: bupropion XL 300 mg (approx. 30 tabs) and alcohol.
    C-SSRS: ideation with plan and intent; risk rose to high.
    Follow-up: Writer notified primary therapist {NAME:o2_dr} by secure message and will follow up with the ED social worker tomorrow. Time spent: 95 minutes (90839, 90840).
""")

tpl("letter_psychiatrist", "letter_to_provider", """
    {ORGANIZATION:clinic}
    {STREET_ADDRESS:clinic_street}
    {CITY:clinic_city}, {STATE:state} {ZIP:clinic_zip}
    Phone {PHONE:clinic_phone} | Fax {FAX:clinic_fax}

    {DATE:dos_long}

    {NAME:psy_dr}
    {ORGANIZATION:psy_practice}
    {STREET_ADDRESS:psy_street}
    {CITY:city}, {STATE:state} {ZIP:zip2}

    Re: {NAME:c_full}, DOB {DATE:dob}

    Dear {NAME:psy_drlast},

    Thank you for agreeing to see {NAME:c_hon} for a medication evaluation. I have provided weekly psychotherapy to {=him} since {DATE:intake} for recurrent depression (F33.2), with a possible hypomanic episode in {DATE:month_year}, when {=he} slept 3 hours a night for a week and spent $4,000 on equipment for a business idea. {=His} mother, {NAME:mo_full}, was treated with lithium 300 mg BID for bipolar I disorder. Current medication: escitalopram 20 mg daily (prescribed by {NAME:pcp_dr}). MDQ positive; PHQ-9 of 16.

    I would appreciate your assessment for bipolar spectrum illness and whether a mood stabilizer may be indicated. {NAME:c_first} is aware of and consents to this referral (signed release enclosed). Please contact me at {PHONE:clin_direct} or {EMAIL:clin_email}.

    Sincerely,

    {NAME:clin_full}, {=clin_cred}
    {=clin_cred_long}, {STATE:state_full} License {ID:license}
    NPI {ID:npi}
""")

tpl("email_to_pcp", "letter_to_provider", """
    From: {NAME:clin_full} <{EMAIL:clin_email}>
    To: {NAME:pcp_dr} <{EMAIL:pcp_email}>
    Date: {DATE:dos}
    Subject: Coordination of care - {NAME:c_init}, DOB {DATE:dob}

    {NAME:pcp_drlast},

    Following up on our call. Your patient {NAME:c_full} began therapy with me at {ORGANIZATION:clinic} on {DATE:intake} for panic disorder and health anxiety. {=He} reports frequent urgent care visits for chest pain; the cardiac workup (ECG, troponin, echo) was reported as normal. We are using CBT with interoceptive exposure. {=He} has asked whether the clonazepam 0.5 mg PRN can be tapered. I support that, as avoidance and benzodiazepine reliance are likely maintaining the symptoms.

    Of note, {=his} father, {NAME:fa_full}, died suddenly of a heart attack at {AGE:fa_age}, which has intensified {=his} health-related fears. BAI today was 31.

    Please call me at {PHONE:clin_direct} if you have questions. Fax for records: {FAX:clinic_fax}.

    Best,
    {NAME:clin_full}, {=clin_cred}
    {ORGANIZATION:clinic} | {URL:clinic_url}
""")

tpl("letter_employer_accommodation", "letter_accommodation", """
    {DATE:dos_long}

    To: Human Resources, {ORGANIZATION:employer}
    Attn: {NAME:hr_full}
    {STREET_ADDRESS:emp_street}, {CITY:city}, {STATE:state} {ZIP:zip2}

    RE: Reasonable accommodation request for {NAME:c_full} (Employee ID {ID:emp_id})

    To whom it may concern:

    I am a licensed psychologist and have treated {NAME:c_hon} since {DATE:intake_month_year}. {=He} has a mental health condition that qualifies as a disability under the ADA; at {=his} request I am not disclosing the diagnosis. {=He} is able to perform the essential functions of {=his} position as {^occupation} {OCCUPATION:occupation} with the following accommodations:
    1. A consistent day shift (no rotation), to protect sleep.
    2. Permission to attend a 60-minute appointment every other week.
    3. Access to a quiet workspace during high-volume periods.
    These accommodations are expected to be needed for approximately 6 months. I will re-evaluate by {DATE:review}.

    Sincerely,
    {NAME:clin_dr}
    Licensed Psychologist, {STATE:state} {ID:license}
    {ORGANIZATION:clinic} | {PHONE:clinic_phone} | Fax {FAX:clinic_fax}
""")

tpl("letter_school_504", "letter_to_school", """
    {ORGANIZATION:clinic}
    {STREET_ADDRESS:clinic_street}, {CITY:clinic_city}, {STATE:state} {ZIP:clinic_zip}

    {DATE:dos}

    {NAME:sc_full}, School Counselor
    {ORGANIZATION:school}
    {STREET_ADDRESS:school_street}
    {CITY:city}, {STATE:state} {ZIP:zip}

    Re: {NAME:c_full}, Grade {=grade_num}, DOB {DATE:dob}

    Dear {NAME:sc_hon},

    At the request of {NAME:c_first}'s parents, {NAME:mo_full} and {NAME:fa_full}, I am writing in support of a Section 504 evaluation. {NAME:c_first} has been in treatment with me since {DATE:intake} for generalized anxiety and obsessive-compulsive disorder (CY-BOCS 24, moderate-severe). {=His} rituals (rereading and erasing) significantly slow written work, and {=he} often stays up past midnight to finish homework.

    Recommended supports: extended time (1.5x) on tests and assignments; reduced written load when mastery is shown; a pass to see the counselor when distressed; preferential seating near the door.

    {NAME:c_first} is a kind, funny student who loves robotics club and the Percy Jackson series. With support, I expect {=him} to thrive. Please contact me at {PHONE:clin_direct} or {EMAIL:clin_email}.

    Respectfully,
    {NAME:clin_full}, {=clin_cred}
""", kind="tween")

tpl("prior_authorization", "insurance_prior_auth", """
    PRIOR AUTHORIZATION REQUEST - OUTPATIENT BEHAVIORAL HEALTH
    Payer: {ORGANIZATION:insurer}   Fax to: {FAX:payer_fax}
    Member name: {NAME:c_lastfirst}   Member ID: {ID:member_id}   Group #: {ID:group_no}
    Member DOB: {DATE:dob}   Subscriber: {NAME:p_full} (spouse)
    Provider: {NAME:clin_full}, {=clin_cred}   NPI: {ID:npi}   Tax ID: {ID:tin}
    Practice: {ORGANIZATION:clinic}, {STREET_ADDRESS:clinic_street}, {CITY:clinic_city}, {STATE:state} {ZIP:clinic_zip}
    Phone: {PHONE:clinic_phone}   Fax: {FAX:clinic_fax}

    Services requested: 90837 x 12 units, {DATE:auth_start} through {DATE:auth_end}
    Diagnosis: F43.10 PTSD (DSM-5 309.81); F33.1 MDD, recurrent, moderate
    Clinical summary: Member is {^age_yo} {AGE:age_yo} {OCCUPATION:occupation} who {=event} and has experienced nightmares, hypervigilance, and avoidance since. PCL-5 = 52; PHQ-9 = 17. Has completed 8 sessions of CPT with partial response (PCL-5 baseline 64). Requesting continued weekly treatment; step-down to biweekly anticipated once PCL-5 falls below 33. No inpatient admissions in the past 12 months.
    Medications: prazosin 1 mg qhs; sertraline 150 mg daily.
    Attestation: I certify the above is accurate. Signature: {NAME:clin_full}   Date: {DATE:dos_num}
""", n=4)

tpl("insurance_appeal", "insurance_appeal", """
    {DATE:dos_long}

    {ORGANIZATION:insurer}
    Appeals Department
    {STREET_ADDRESS:payer_street}
    {CITY:payer_city}, {STATE:payer_state} {ZIP:payer_zip}

    RE: Level 1 appeal - denial of continued inpatient coverage
    Patient: {NAME:c_full}   DOB: {DATE:dob}   Member ID: {ID:member_id}
    Claim/Reference #: {ID:claim_no}   Dates of service: {DATE:admit} - {DATE:disch}

    To the Appeals Reviewer:

    I am the attending psychiatrist for the above patient at {ORGANIZATION:hospital}. Coverage for days 6-11 was denied on {DATE:denial_ny} by your reviewer, {NAME:rev_dr}, as "not medically necessary." I respectfully disagree. On day 5 the patient remained acutely suicidal, was found attempting to tie a ligature on {LOCATION:unit}, and required 1:1 observation. Lithium level was subtherapeutic at 0.4 mEq/L, and ECT consent was pending. Discharge to a lower level of care would have placed the patient at imminent risk.

    Enclosed: nursing notes, physician progress notes, and C-SSRS documentation. I am available for a peer-to-peer review at {PHONE:psy_phone}.

    Sincerely,
    {NAME:psy_full}, MD
    Medical Director, Inpatient Psychiatry
    NPI {ID:npi}
""")

tpl("superbill", "insurance_billing", """
    CLAIM DETAIL / SUPERBILL
    Rendering provider: {NAME:clin_full}, {=clin_cred}   NPI {ID:npi}   License {ID:license}
    Billing: {ORGANIZATION:clinic}, EIN {ID:tin}
    Patient: {NAME:c_full}   DOB {DATE:dob}   Acct {ID:acct}
    Address: {STREET_ADDRESS:street}, {CITY:city}, {STATE:state} {ZIP:zip}
    Primary: {ORGANIZATION:insurer}, ID {ID:member_id}
    Secondary: Medicaid, ID {ID:medicaid_id}

    DOS          CPT     Units  Dx      Charge
    {DATE:d1}   90791   1      F41.1   $250.00
    {DATE:d2}   90837   1      F41.1   $180.00
    {DATE:d3}   90837   1      F41.1   $180.00
    {DATE:d4}   90846   1      Z63.0   $160.00

    Notes: Claim for {DATE:d2} denied (CO-197, no auth); resubmitted with authorization {ID:auth_no}. Patient requested a grace period on the $35 copay balance; the bill from the clinic will be mailed to the address above. Payment plan approved by {NAME:o1_full}, office manager. Patient prefers contact at {EMAIL:email}.
""")

tpl("mandated_report_cps", "mandated_report", """
    SUSPECTED CHILD ABUSE REPORT - Mandated Reporter Documentation
    Report made to: {ORGANIZATION:cps_agency} hotline, {PHONE:cps_phone}
    Date/time of report: {DATE:dos}, 3:40 pm   Intake worker: {NAME:cw_full}   Referral #: {ID:case_no}
    Reporter: {NAME:clin_full}, {=clin_cred}, {ORGANIZATION:clinic}, {PHONE:clinic_phone}

    Child: {NAME:c_full}   DOB: {DATE:dob}   Age: {AGE:age}
    School: {ORGANIZATION:school}
    Home address: {STREET_ADDRESS:street}, {CITY:city}, {STATE:state} {ZIP:zip}
    Caregivers: {NAME:mo_full} (mother); {NAME:x_full} (mother's boyfriend)
    Siblings in home: {NAME:sib_first} ({AGE:sib_age}), {NAME:sib2_first} ({AGE:sib2_age})

    Basis for report: During session today, {NAME:c_first} disclosed that {NAME:x_first} "hit me with the belt buckle" on {DATE:incident_ny} after {=he} broke a phone. Writer observed a linear bruise, approx. 4 cm, on the back of the left upper arm. {NAME:c_first} said, "Don't tell, he'll get mad at Mom." Child appeared fearful and lowered {=his} voice, and stated that {NAME:x_first} drinks "the tall cans" on weekends.
    Actions: Writer did not interview further, per protocol. Safety check completed: child will stay with grandmother {NAME:gm_full} tonight at {STREET_ADDRESS:street2}. Written report to follow within 48 hours. Supervisor {NAME:sup_dr} notified.
""", kind="minor", n=4, genders={"x": "m"})

tpl("mandated_report_aps", "mandated_report", """
    Adult Protective Services report documentation
    Date of report: {DATE:dos}   APS intake #: {ID:case_no}   Spoke with: {NAME:cw_full}
    Vulnerable adult: {NAME:c_full}, {AGE:age_yo}, DOB {DATE:dob}
    Residence: {LOCATION:facility}, {STREET_ADDRESS:street}, {CITY:city}, {STATE:state} {ZIP:zip}
    Alleged perpetrator: {NAME:x_full}, grandson, phone {PHONE:phone3}

    Concern: financial exploitation. During our weekly session, {NAME:c_hon}, a retired {OCCUPATION:occupation}, showed me statements from {ORGANIZATION:bank} with withdrawals totaling $18,400 since {DATE:month}. {=He} says {NAME:x_first} "borrowed" the debit card and set up online banking under {EMAIL:x_email}. {=He} has been unable to pay the facility bill and received a notice. {NAME:c_hon} has a mild neurocognitive disorder (MoCA 22) but was clear and consistent; {=he} asked me not to "get him arrested" but wants the withdrawals to stop.
    Writer reported per state mandate; client informed. Facility administrator {NAME:o1_hon} notified. Follow-up visit scheduled for {DATE:next}.
    Clinician: {NAME:clin_full}, {=clin_cred}
""", kind="elder", setup=lambda c: c.person("x", gender="m", culture=c.culture, surname=c.person("c")["last"]))

tpl("duty_to_warn", "risk_assessment", """
    Risk Assessment / Duty-to-Protect Documentation
    Client: {NAME:c_full}   MRN {ID:mrn}   Date: {DATE:dos}   Time: 11:05 am
    Clinician: {NAME:clin_dr}

    During session, client stated that if {=his} former supervisor at {ORGANIZATION:employer}, {NAME:x_full}, "shows up at the hearing on the {DATE:ord}, I'll make sure they don't walk out." Client reports owning a hunting rifle, kept at {=his} father's house on {LOCATION:rural_road}. Client has one prior assault charge from {DATE:year} (case {ID:case_no}).
    Assessment: Identified victim, stated intent, and access to means; threshold for duty to warn met under state law. HCR-20 structured judgment: high. Client denies suicidal ideation.
    Actions taken: (1) Consulted with {NAME:sup_dr} at 11:40 am. (2) Called {NAME:x_hon} at {PHONE:phone3}; left voicemail, then reached the {ORGANIZATION:employer} security office at {PHONE:phone2}. (3) Notified {ORGANIZATION:police}, Officer {NAME:o1_full}, badge {ID:badge}. (4) Client was informed of the disclosure and agreed to have {=his} brother {NAME:sib_full} remove the rifle.
    Follow-up: Session scheduled for tomorrow; will follow up with police.
""", genders={"sib": "m"})

tpl("safety_plan", "safety_plan", """
    SAFETY PLAN (Stanley-Brown)
    Name: {NAME:c_full}   Date: {DATE:dos}   Clinician: {NAME:clin_full}

    Step 1 - Warning signs: not sleeping, skipping meals, replaying the argument with {NAME:ex_first}, listening to the same Radiohead album on repeat.
    Step 2 - Internal coping: run the loop at {LOCATION:park}, cold shower, draw.
    Step 3 - People and places for distraction: {NAME:fr_full}; {ORGANIZATION:coffee_shop}; cousin {NAME:cousin_first}'s house.
    Step 4 - People I can ask for help: Mom ({NAME:mo_first}) {PHONE:phone2}; {NAME:fr_first} {PHONE:phone3}; soccer coach {NAME:o1_full} {PHONE:phone4}.
    Step 5 - Professionals: {NAME:clin_full} {PHONE:clinic_phone} (M-F 9-5); {NAME:psy_dr} {PHONE:psy_phone}; 988 Suicide & Crisis Lifeline (call or text 988); {ORGANIZATION:hospital} ED, {STREET_ADDRESS:hosp_street}.
    Step 6 - Making the environment safe: Dad will hold the sertraline bottle; rifle moved to uncle {NAME:uncle_first}'s gun safe.
    Reasons for living: "my little sibling {NAME:sib_first}, and seeing {=music_ref} live someday."
    Client signature: {NAME:c_init}
""")

tpl("collateral_parent_call", "collateral_contact", """
    Phone contact - {DATE:dos} at 4:50 pm (12 min)
    Caller: {NAME:mo_full}, mother of client {NAME:c_full} (adult; ROI on file through {DATE:review})
    Callback number: {PHONE:phone2}

    {NAME:mo_hon} called, concerned that {NAME:c_first} has not left {=his} room at the family home in {CITY:city} for 3 days and stopped taking lamotrigine 100 mg. She found empty energy-drink cans and {=his} laptop open to forums about "going off-grid." She also mentioned that {NAME:c_first}'s brother, {NAME:sib_full}, a deputy with the {ORGANIZATION:sheriff}, offered to do a welfare check, which {NAME:c_first} would likely experience as a betrayal.
    Writer validated the concern, reviewed signs of mania versus depression, and explained the limits of what can be shared. Provided the mobile crisis number {PHONE:crisis_phone}. Writer will follow up with the client by phone today and offer an earlier appointment on {DATE:next}.
    Outcome: Client returned the call at 5:30 pm from {PHONE:phone}, sounded tired but coherent, denied SI, and agreed to come in. Mother may benefit from a NAMI Family-to-Family class; information emailed to {EMAIL:mo_email}.
""", genders={"sib": "m"})

tpl("release_of_information", "release_form", """
    AUTHORIZATION FOR RELEASE OF INFORMATION
    I, {NAME:c_full}, date of birth {DATE:dob}, authorize {ORGANIZATION:clinic} to
    [x] release to   [x] obtain from:
      Name: {NAME:o1_dr}
      Organization: {ORGANIZATION:hospital}
      Address: {STREET_ADDRESS:hosp_street}, {CITY:city}, {STATE:state} {ZIP:zip2}
      Phone: {PHONE:phone3}   Fax: {FAX:fax}
    Information: diagnosis, dates of treatment, treatment plan, medication list. Excludes psychotherapy notes and substance use records (42 CFR Part 2) unless initialed here: {NAME:c_init}
    Purpose: coordination of care.
    This authorization expires on {DATE:review} or one year from signing, whichever is sooner. I may revoke it in writing at any time.
    Signature: {NAME:c_full}   Date: {DATE:dos_num}
    Witness: {NAME:o2_full}, front desk
    If signed by a personal representative: {NAME:p_full}, relationship: spouse (POA)
""")

tpl("med_management", "psychiatric_med_management", """
    PSYCHIATRIC MEDICATION MANAGEMENT - {ORGANIZATION:clinic}
    Patient: {NAME:c_full}   DOB: {DATE:dob}   Age: {AGE:age}   MRN: {ID:mrn}
    Visit: {DATE:dos}   Provider: {NAME:psy_dr}   Visit type: 99214 + 90833
    Therapist: {NAME:clin_full}, {=clin_cred}

    CC: "The lithium makes my hands shake."
    HPI: {AGE:age_yo_any} with bipolar I disorder, stable since last hospitalization at {ORGANIZATION:hospital} in {DATE:year}. Reports fine tremor and increased thirst. Working part-time at {ORGANIZATION:employer}. Mood euthymic per self-report and partner {NAME:p_first}. Sleep 7-8 hours. No SI/HI.
    Meds: lithium carbonate 300 mg BID; lamotrigine 150 mg daily; propranolol 10 mg BID added today for tremor.
    Labs ({DATE:lab_date}): Li 0.9 mEq/L, TSH 3.2, creatinine 1.0, Na 139.
    Exam: Fine bilateral hand tremor. BP 118/76, HR 70, BMI 27.
    MSE: Well groomed, calm, euthymic, linear, no psychosis.
    Assessment: F31.74 Bipolar I disorder, in full remission, most recent episode manic.
    Plan: Continue lithium; recheck level and renal function in 3 months. Psychotherapy (IPSRT) 16 minutes focused on regular daily rhythms. RTC {DATE:next} or sooner prn. Rx sent to {ORGANIZATION:pharmacy}, {PHONE:pharmacy_phone}.
""")

tpl("no_show_outreach", "contact_note", """
    Missed appointment / outreach note
    Client: {NAME:c_full}   Scheduled: {DATE:dos}, 10:00 am   Status: no-show (2nd in 30 days)
    Writer: {NAME:clin_full}

    10:15 am: Called {PHONE:phone}; voicemail full.
    10:20 am: Sent text per client's consent to texting.
    10:22 am: Emailed {EMAIL:email} with reschedule link {URL:portal_url}.
    2:40 pm: Client returned call from a new number, {PHONE:phone2}; states {=he} started a new job at {ORGANIZATION:employer} with a changing schedule and "forgot." Also moved to {STREET_ADDRESS:street}, {CITY:city}, {STATE:state} {ZIP:zip}; front desk updated demographics. Denies safety concerns.
    Rescheduled to {DATE:next} at 5:00 pm (evening slot). Discussed attendance policy; client is aware a $40 late-cancel fee may apply. Client may benefit from moving to biweekly sessions; will discuss next visit.
""")

tpl("cyberbullying_teen", "progress_note_minor", """
    Progress Note - Individual (Adolescent)
    {NAME:c_full} | {AGE:age_yo_any} | {ORGANIZATION:school} | DOS {DATE:dos}

    {NAME:c_first} reported that an anonymous TikTok account, {SOCIAL_HANDLE:handle2}, has been posting edited photos of {=him} since {DATE:incident_ny}. {=He} believes it is run by a former friend, {NAME:fr_full}, because one video used an inside joke from a sleepover at {NAME:fr_first}'s house. {=He} has stopped going to youth group at {ORGANIZATION:church}, which {NAME:fr_first} also attends. Own account: Instagram {SOCIAL_HANDLE:handle}, now private.
    Affect anxious, tearful at times. Reports checking notifications "like 200 times a day." RCADS anxiety T = 68. Denies SI; endorses a passive wish to "disappear from school."
    Interventions: Validation; problem-solving; reviewed reporting tools; discussed involving parents. With client's agreement, writer called father {NAME:fa_full} ({PHONE:phone2}) during the last 10 minutes; father will contact assistant principal {NAME:tch_hon} and file a report through the school's online form ({URL:school_url}).
    Plan: Weekly sessions; consider a social media "diet" experiment. Next session {DATE:next}.
""", kind="teen")

tpl("letter_attorney", "letter_legal", """
    {DATE:dos_long}

    {NAME:atty_full}, Esq.
    {ORGANIZATION:law_firm}
    {STREET_ADDRESS:law_street}
    {CITY:city}, {STATE:state} {ZIP:zip2}

    Re: In re the Marriage of {NAME:c_last} and {NAME:p_last}, Case No. {ID:case_no}

    Dear {NAME:atty_hon}:

    You requested a treatment summary regarding my client, {NAME:c_full}, for the custody proceeding before {NAME:judge_full} in the {ORGANIZATION:court}. {NAME:c_hon} has attended 31 sessions since {DATE:intake}, initially for an adjustment disorder following the separation from {NAME:p_full}. {=He} has been consistently engaged and sober (random screens negative per {=his} report and the court-ordered program at {ORGANIZATION:agency}), and appropriate when discussing the children, {NAME:ch_first} ({AGE:ch_age}) and {NAME:ch2_first} ({AGE:ch2_age}).

    Please note that I have not evaluated the children or {NAME:p_first} and cannot offer an opinion on custody; that question is beyond the scope of a treating therapist's role. This letter is released with {NAME:c_hon}'s written authorization dated {DATE:roi_date}.

    Respectfully,
    {NAME:clin_full}, {=clin_cred}
    {ORGANIZATION:clinic} | {PHONE:clinic_phone}
""")

tpl("listserv_consult", "peer_consultation_post", """
    Subject: Consult request - teen with eating disorder, rural area

    Hi all, looking for input. I'm seeing {^age_yo} {AGE:age_yo} {=girl_boy} ({NAME:c_first}) in {CITY:town}, {STATE:town_state}, who is {FAMILY:family_child} and a varsity swimmer at {ORGANIZATION:school}. Weight has dropped from 118 to 97 lb since {DATE:month}; BMI 16.1; HR 48 at the pediatrician's office; orthostatic. Parents ({NAME:mo_first} and {NAME:fa_first}) are supportive, but both work rotating shifts at {ORGANIZATION:employer}. The nearest FBT-trained provider is 3 hours away in {CITY:city2}. The family is {RELIGION:religion}, and fasting practices came up. Has anyone used FBT via telehealth with medical monitoring by a local family doc? Also, {=his} coach, {NAME:tch_hon}, weighs the team publicly every week - how have folks approached this?

    Thanks,
    {NAME:clin_full}, {=clin_cred} | {EMAIL:clin_email} | {URL:clinic_url}
""", kind="teen")

tpl("intake_college", "intake_assessment", """
    University Counseling Center - Initial Consultation
    Student: {NAME:c_full}   Student ID: {ID:emp_id}   Preferred name: {NAME:c_nick}
    Date: {DATE:dos}   Counselor: {NAME:clin_full}, {=clin_cred}
    Campus: {ORGANIZATION:university}; residence hall: {LOCATION:dorm}
    Contact: {PHONE:phone} / {EMAIL:email}

    Student is {^age_yo} {AGE:age_yo} sophomore, {ETHNICITY:ethnicity}, first in family to attend college, on a full scholarship that requires a 3.0 GPA. Presents after failing an organic chemistry midterm on {DATE:incident_ny}. Was told in middle school that {=he} "might have Asperger's" but was never evaluated. Describes "imposter syndrome," 4 hours of sleep, and skipping meals to save money. Parents, {NAME:mo_first} and {NAME:fa_first}, run a restaurant in {CITY:city2} and call nightly. Roommate {NAME:fr_full} encouraged the visit.
    Screening: CCAPS depression 2.8, academic distress 3.4. Denies SI/HI, alcohol use minimal.
    Impression: Adjustment disorder with anxiety (F43.22), rule out MDD.
    Plan: Brief therapy (6 sessions), referral to the campus food pantry and to academic coaching with {NAME:o1_hon}. Student may benefit from the first-gen peer group. Follow-up {DATE:next}.
""", kind="college",
    overrides={"dorm": ["Whitman Hall", "Okafor Hall", "Reyes Commons", "Tower B", "Lindqvist House"]})

tpl("process_note_narrative", "psychotherapy_process_note", """
    Process note ({DATE:dos}) - kept separately from the medical record

    {NAME:c_first} came in wearing the {ORGANIZATION:employer} fleece again and sat on the edge of the couch. Talked for most of the hour about {=his} father, {NAME:fa_first}, who was {^occupation} {OCCUPATION:occupation} in {CITY:town} "and never once said he was proud." When I reflected the longing in that, {=he} laughed and said, "Okay, Dr. Phil." I noticed the familiar pull to rescue {=him} from the silence that followed.

    Dream reported: {=he} was back in the house on {LOCATION:street_name}, the rooms kept multiplying, and {=his} sister {NAME:sib_first} was calling from a room {=he} couldn't find. Associations: the move to {CITY:city} in {DATE:year}, {=his} sister's miscarriage last {DATE:month}, and the phrase "a house with no middle."

    My reactions (in IFS terms, my manager parts): tired, protective, some irritation when {=he} deflected with jokes. I think the humor is how the family survived. Worth bringing to consultation with {NAME:sup_first}. Next time: go slower with the father material; notice the jokes without interpreting too early.
""", genders={"sib": "f"})

tpl("residential_birp", "progress_note_birp", """
    {ORGANIZATION:clinic} Residential Treatment - Shift BIRP
    Resident: {NAME:c_lastfirst}   Unit: {LOCATION:cottage}   Adm #: {ID:mrn}
    Date: {DATE:dos_num}   Shift: 3-11 pm   Staff: {NAME:o1_full}, BHT

    B: Resident was tearful after a phone call with {=his} grandmother, {NAME:gm_full}, who shared that the family dog had died. Resident punched a wall in the east hallway at 7:40 pm; no injury. Later stated peer {NAME:g1_first} had been "taking {=his} stuff."
    I: Staff used de-escalation, offered sensory room, and processed the incident using the chain analysis form. PRN hydroxyzine 25 mg given at 7:55 pm per standing order from {NAME:psy_dr}.
    R: Resident calmed within 20 minutes and apologized to staff. Participated in evening wrap-up group and named one coping skill (paced breathing).
    P: Notify primary therapist {NAME:clin_full}; room search per policy; family call with guardian {NAME:mo_full} scheduled {DATE:next}. Resident is {AGE:age_yo_any} and in the {=grade}; school liaison to coordinate with {ORGANIZATION:school}.
""", kind="teen", overrides={"cottage": ["Cottage 3", "Birch House", "East Hall", "Cedar Cottage", "Juniper Lodge"]})

tpl("intake_older_adult_phone", "intake_screening", """
    Phone Intake Screening
    Caller: {NAME:ch_full} ({=ch_rel}), calling about parent {NAME:c_full}
    DOB of client: {DATE:dob} ({AGE:age})   Date of call: {DATE:dos}
    Caller phone: {PHONE:phone2}   Client address: {STREET_ADDRESS:street}, {CITY:city}, {STATE:state} {ZIP:zip}
    Insurance: Medicare + {ORGANIZATION:insurer} supplement, ID {ID:member_id}
    Screened by: {NAME:o1_full}, intake coordinator

    Caller reports {NAME:c_hon} has become withdrawn since {=his} driver's license was not renewed in {DATE:month}. {=He} was {^occupation} {OCCUPATION:occupation} for 40 years and {=cond_pred}. Still lives alone, attends {ORGANIZATION:church}, and is described as "sharp as a tack but lonely." No history of psychiatric care. Caller worries about drinking: "a couple of bourbons every afternoon." Primary care: {NAME:pcp_dr}, last seen {DATE:prev}.
    Disposition: Scheduled with {NAME:clin_full} for in-home assessment on {DATE:next_full}. Caller will be present. Mailed intake packet.
""", kind="elder")

tpl("couples_intake_same_sex", "couples_session", """
    Couples Intake - {ORGANIZATION:clinic}
    Partners: {NAME:p1_full} ({AGE:p1_age}) and {NAME:p2_full} ({AGE:p2_age})
    Date: {DATE:dos}   Clinician: {NAME:clin_full}, {=clin_cred}
    Shared address: {STREET_ADDRESS:street}, {CITY:city}, {STATE:state} {ZIP:zip}

    Presenting concern: recurring conflict over whether to pursue adoption. Together 9 years; married at {ORGANIZATION:church} on {DATE:anniv_full}. {NAME:p1_first} works as {^occupation} {OCCUPATION:occupation}; {NAME:p2_first} is a graduate student at {ORGANIZATION:university}. {NAME:p2_first}'s family in {CITY:city2} has not acknowledged the marriage; {=p2_rel_word} sister {NAME:p2_sib_full} is the only family member in contact.
    Individual screens (completed separately): no IPV; AUDIT within normal limits for both. DAS total 86.
    Observations: {NAME:p1_first} speaks quickly and often finishes {NAME:p2_first}'s sentences; {NAME:p2_first} withdraws and says "fine." Pursue-withdraw cycle consistent with an EFT formulation.
    Plan: EFT, 12 sessions; individual check-in with each partner before session 3. Fee agreement and release signed. Next session {DATE:next}.
""", setup=lambda c: (c.person("p1", gender=c.rng.choice("fm")),
                      c.person("p2", gender=c.person("p1")["g"]),
                      c.__setitem__("p2_rel_word", "her" if c.person("p2")["g"] == "f" else "his"),
                      c.__setitem__("anniv_full", fmt_date(c.dos_d - dt.timedelta(days=c.rng.randint(400, 2500)),
                                                           c.rng.choice(DATE_FULL))),
                      c.person("p2_sib", gender="f", culture=c.person("p2")["culture"], surname=c.person("p2")["last"])))

tpl("court_ordered_eval_summary", "forensic_summary", """
    COURT-ORDERED EVALUATION - SUMMARY OF FINDINGS
    Examinee: {NAME:c_full}   DOB: {DATE:dob}   Docket: {ID:case_no}
    Referring court: {ORGANIZATION:court}, {NAME:judge_full}
    Evaluator: {NAME:clin_dr}   Dates of contact: {DATE:d1}, {DATE:d3}
    Collateral sources: probation officer {NAME:o1_full}; {=his} ex-spouse {NAME:p_full} (phone, {PHONE:phone3}); records from {ORGANIZATION:hospital}.

    {NAME:c_hon} is {^age_yo} {AGE:age_yo} {ETHNICITY:ethnicity} {=woman_man} charged with misdemeanor harassment after sending more than 200 messages to a former coworker at {ORGANIZATION:employer}. {=He} {=physical}, which several witnesses mentioned. Testing: MMPI-3 valid profile with elevations on RC4 and RC6; PAI not administered. WAIS-IV FSIQ 104.
    Diagnostic impressions: F60.3 borderline personality disorder (provisional); F10.10 alcohol use disorder, mild.
    Recommendations: DBT program (such as the one at {ORGANIZATION:clinic}); no-contact order; abstinence monitoring. Risk of violence judged low-moderate; risk of continued harassment moderate.
""")


# ---------------------------------------------------------------------------
# Build
# ---------------------------------------------------------------------------

def check(doc):
    text, spans = doc["text"], doc["spans"]
    prev_end = 0
    for s in spans:
        seg = text[s["start"]:s["end"]]
        assert seg, (doc["id"], s)
        assert seg == seg.strip(), (doc["id"], s, seg)
        assert s["start"] >= prev_end, (doc["id"], "overlap/unsorted", s)
        assert s["label"] in ALL_LABELS and s["kind"] in ("direct", "quasi"), s
        prev_end = s["end"]
    assert not re.search(r"[{}]|\[\[|\]\]", text), doc["id"]


def case_transform(doc, fn, tag):
    new = fn(doc["text"])
    if len(new) != len(doc["text"]):
        return False
    old_segs = [doc["text"][s["start"]:s["end"]] for s in doc["spans"]]
    for s, seg in zip(doc["spans"], old_segs):
        if new[s["start"]:s["end"]] != fn(seg):
            return False
    doc["text"] = new
    doc["casing"] = tag
    return True


def build():
    rng = random.Random(SEED)
    docs = []
    names = [t["name"] for t in T]
    assert len(names) == len(set(names)), "duplicate template names"
    for t in T:
        for i in range(t["n"]):
            ctx = Ctx(rng, t["kind"], t["cultures"], t["overrides"])
            for prefix, g in t["genders"].items():
                ctx.person(prefix, gender=g)
            if t["setup"]:
                t["setup"](ctx)
            b = Builder()
            render(t["text"], ctx, b)
            docs.append({"template": t["name"], "doc_type": t["doc_type"], "text": b.text(), "spans": b.spans})
    # whole-document casing variants
    order = list(range(len(docs)))
    rng.shuffle(order)
    n_upper = n_lower = 0
    for idx in order:
        if n_upper < 10 and case_transform(docs[idx], str.upper, "upper"):
            n_upper += 1
        elif n_lower < 10 and case_transform(docs[idx], str.lower, "lower"):
            n_lower += 1
        if n_upper >= 10 and n_lower >= 10:
            break
    out = []
    for k, d in enumerate(docs, 1):
        rec = {"id": f"t{k:03d}", "doc_type": d["doc_type"], "template": d["template"],
               "text": d["text"], "spans": d["spans"]}
        if d.get("casing"):
            rec["casing"] = d["casing"]
        check(rec)
        out.append(rec)
    return out, n_upper, n_lower


def main():
    docs, n_upper, n_lower = build()
    path = Path(__file__).with_name("therapy.jsonl")
    with path.open("w", encoding="utf-8", newline="\n") as fh:
        for d in docs:
            fh.write(json.dumps(d, ensure_ascii=False) + "\n")
    labels, kinds, lk = Counter(), Counter(), Counter()
    for d in docs:
        for s in d["spans"]:
            labels[s["label"]] += 1
            kinds[s["kind"]] += 1
            lk[(s["label"], s["kind"])] += 1
    words = [len(d["text"].split()) for d in docs]
    print(f"wrote {len(docs)} documents from {len(T)} templates to {path}")
    print(f"casing variants: {n_upper} upper, {n_lower} lower")
    print(f"words per document: min {min(words)}, max {max(words)}, mean {sum(words) / len(words):.0f}")
    print(f"spans: {sum(kinds.values())}  " + "  ".join(f"{k}={v}" for k, v in sorted(kinds.items())))
    for (lab, kind), v in sorted(lk.items(), key=lambda x: (x[0][1], -x[1])):
        print(f"  {kind:6s} {lab:15s} {v}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
