"""Write ``config/forenames.txt``: the first names the redaction removes without a title,
role or introduction before them ("thanks to Sharon", "Julie on reception was kind").

Run by hand when the sources change (the list is committed; nothing is downloaded at run
time)::

    python scripts/build_forenames.py --census-female dist.female.first \\
        --census-male dist.male.first --dictionary british-english > config/forenames.txt

Sources, each public and free to reuse:

- the US Census Bureau's 1990 first-name lists (public domain; as shipped in the
  ``names`` 0.3.0 sdist on PyPI, ``names/dist.female.first`` and ``dist.male.first``):
  the commonest :data:`FEMALE_TOP` women's names and every men's name (1,219);
- :data:`UK_NAMES` below: first names common in the UK and rare in the US lists (Welsh,
  Scottish, Irish, South Asian, West African, Polish), written for this project;
- Debian's ``wbritish`` word list (SCOWL, free to reuse), read only to find the names that
  are also everyday words ("Will", "Dawn", "Mark"): those are marked ``word`` and removed
  only where they cannot be the word (:mod:`pipelines.redact_forenames`).

:data:`NOT_NAMES` are left out: months and days, places in the UK and abroad, peoples and
faiths, and words the redaction's other lists read as staff or services.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path


def _words(text: str) -> frozenset[str]:
    """The words of ``text`` (a list written as lines of words)."""
    return frozenset(text.split())


#: How many of the census's women's names (ordered by frequency) are taken; its men's
#: list is 1,219 names and is taken whole.
FEMALE_TOP = 2500

UK_NAMES = """
Kirsty Niamh Priya Aoife Ciara Sinead Siobhan Gareth Rhys Dafydd Ieuan Callum Hamish Morag
Eilidh Ailsa Iona Isla Freya Harriet Poppy Imogen Ffion Carys Bethan Cerys Megan Nia Owain
Huw Aled Gethin Ewan Euan Alasdair Alastair Alistair Mhairi Shona Kerry Lorna Gillian
Debbie Bev Mandy Jackie Tina Tracy Tracey Stacey Lindsey Kelly Nicola Joanne Suzanne Jemma
Gemma Lauren Danielle Natalie Kayleigh Leanne Chantelle Jodie Shauna Roisin Saoirse Orla
Aidan Conor Declan Padraig Seamus Eamon Eamonn Fergus Angus Duncan Graeme Craig Stuart
Fraser Lachlan Rory Finlay Kieran Liam Reece Jake Ellie Millie Evie Ava Amelia Isabella
Mia Sophie Charlotte Olivia Emily Jessica Lucy Katie Bethany Abbie Abigail Chloe Hollie
Paige Shannon Demi Courtney Amy Jenny Becky Becca Steph Nikki Vicky Vikki Nicky Sian
Sioned Rhian Rhiannon Lowri Elin Catrin Gwen Dilys Glenys Gwyneth Bronwen Eleri Seren
Nerys Hywel Emyr Iwan Rhodri Tomos Dai Wyn Meirion Sharon Mohammed Muhammad Mohammad
Mohamed Ahmed Ahmad Hassan Hussain Hussein Khalid Omar Ali Fatima Fatimah Amina Maryam
Sana Hina Rubina Nazia Shazia Farah Bushra Uzma Sadia Saima Asma Rukhsana Naseem Anjum
Pooja Neha Anjali Sunita Anita Geeta Gita Seema Meena Rekha Usha Asha Lata Kiran Manjit
Jasbir Kuldip Balbir Harjit Rajinder Surinder Parminder Baljit Amrit Navdeep Mandeep
Sandeep Pradeep Dilip Vijay Ajay Amit Rohit Rahul Arjun Nikhil Vikram Suresh Ramesh
Mahesh Dinesh Prakash Ashok Naveen Praveen Jagdish Mukesh Kamal Nirmala Chinedu Chioma
Adebayo Oluwaseun Temi Tola Femi Bola Yemi Segun Kemi Emeka Abena Akosua Kwabena Kwame
Kofi Chidi Ngozi Funmi Tunde Yusuf Ibrahim Abdul Zara Zainab Ayesha Aisha Nadia Samina
Shabana Parveen Nasreen Gurpreet Harpreet Manpreet Jaspreet Sukhvinder Anil Sanjay Ravi
Deepak Rajesh Sunil Asif Imran Tariq Bilal Usman Agnieszka Katarzyna Magdalena Piotr
Delroy Jayden Olu Ciaran Nisha Ikechukwu Efua Adwoa Ayo Bisi Ade Tolu Funke Keisha Leroy
Marcia Abimbola Chiamaka Tobi Dami Sade Ayodele Yinka Nkechi Amara Sadiq Haris Zain Rizwan
Shahid Nadeem Waqar Farhan Arif Javed Naveed Shabnam Shamima Rashida Sultana Jasmin Noor
Layla Leila Aaliyah Hamza Idris Musa Ismail Yasmin Ania Basia Marta Ola Monika Beata Dorota
Grzegorz Mariusz Dariusz Ionela Florentina Mihaela Gabriela Daniela Mags Babs Debs Shaz Kaz
Gaz Baz Tash Jas Raj Mo Bex Ros Izzy Nat Abi Caz Jen Sal Jules Mel Kel Kath Cath Liz
Lizzie Beth Becs Jonny Danny Tommy Rach Steph Vic Fi Kev Mick Alf Reg Dot Viv Des Rowan
Priyanka Abdi Maz Niall Eoin Cormac Dermot Geraint Alun Dewi Seb Trev Wilf Deepa Kavita
Divya Mustafa Faisal Irfan Salma Adnan Taiwo Kehinde Folake Yaw Kojo Andrei Bartosz Kamil
Iryna Oksana Olena Tendai Tatenda Chipo Nyasha Farai Tinashe Krzysztof Tomasz Pawel Marek Ewa Zofia Janusz Andrzej Wojciech Lukasz Jakub Kasia Gosia
Bogdan Ionut Andreea Ioana Mihai Florin Alina Bernadette Maureen Sheila Brenda Doreen
Pauline Jean Janice Elaine Lesley Jacqueline Hazel Yvonne Julie Sarah Claire Clare Emma
Rachel Hannah Rebecca Joanne Louise Lisa Michelle Karen Amanda Helen Caroline Samantha
Kate Katy Jo Kim Sam Steve Dave Pete Andy Phil Ian Neil Nigel Colin Trevor Keith Derek
Barry Clive Gordon Malcolm Geoff Graham Martyn Dom Ollie Olly Alfie Archie Freddie Harvey
Toby Theo Elliot Elliott Jamie Kyle Ryan Dylan Connor Ethan Owen Lewis Logan Tyler Leon
"""

#: Left out although a list holds them: not a person in feedback, or a word other lists own.
NOT_NAMES = _words(
    """
January February March April May June July August September October November December
Monday Tuesday Wednesday Thursday Friday Saturday Sunday Christmas Easter
York America Washington Paris Atlanta Houston Cleveland France Irish
German Christian Jesus Christ Santa Angeles Berkeley Yale Somerset Milton Stafford Sydney
Lincoln Venus Preston Chester Chelsea Kingston
Clifton Whitley Ely Florence Camden Denton Sheldon Kendal Morley Crawley Selby
Ripley Harlow Ashford Carlton Elgin Irvine Hamilton Clyde Hastings Harris
Bromley Dudley Stockton Neath Jarrow Tyrone Derry Antrim Durham Lancaster
Warwick Buckingham Devon Cornwall Kent Essex Dorset Wiltshire Bedford Luton Hull Bath
Wells Exeter Truro Carlisle Darlington Whitby Scarborough Harrogate Windsor Richmond
Wembley Barnet Enfield Ealing Hayes Brent Harrow Croydon Sutton Merton Lambeth Bexley
Salford Bolton Bury Wigan Oldham Rochdale Stockport Trafford Tameside Sefton Wirral
Halton Warrington Crewe Macclesfield Chelmsford Colchester Southend Basildon Harlow
Reading Newbury Oxford Cambridge Norwich Ipswich Lowestoft Boston Grantham Mansfield
Worksop Barnsley Rotherham Doncaster Wakefield Dewsbury Halifax Huddersfield Keighley
Leeds Bradford Sheffield London Bristol Leicester Nottingham Derby Coventry Birmingham
Wolverhampton Walsall Telford Shrewsbury Hereford Worcester Gloucester Swindon Cardiff
Swansea Newport Wrexham Bangor Aberdeen Dundee Perth Stirling Inverness Glasgow Paisley
Dublin Belfast India China Israel Africa Asia Europe Britain England Scotland
Wales Ireland Dakota Carolina Montana Nevada Florida Indiana Kansas Dallas Phoenix
Denver Orlando Tyrone Avon Trent Tyne Mersey Severn Ness Lomond
Muslim Hindu Sikh Jewish Buddhist Catholic Polish English Scottish Welsh British
Sister Matron Doctor Nurse Ward Bay Unit Porter Carer Major General Royal Prince Princess
King Queen Duke Lady Lord Sir Dame Saint Marquis Earl Baron Page Price Cash Gay Young Sun
     Charity Destiny Merry Chase Sterling Roman Junior Van Earnest
Lacy Garland Jewel Summer Autumn Ma Angel Guy Miles Max Chance Rich Sunny Sky
Love Care Law Way Long West North South East Court Hill Park Green Wood Field Lane
Star Moon Golden Happy Free Even Read Ring Rock Bird Shell Mason Hunter Cooper Turner
Taylor Baker Butler Carter Fisher Fletcher Parker Porter Walker Ward Webster Wright
Harley Marion Ok Eve In My Man Son Soon Else Numbers Manual Brain Loan Marry Era Ha Mi
Chi Chin Hung Min Sang Sung Yen Lien Spring Forest Alpha Delta Meta Noble Diamond Brooks
Brook Buck Bud Coy Curt Emery Foster Freeman Garnet Garret Herb Ivory Lance Marvel Nova
Novella Prudence Raven Reed Shad Sol Sunshine Tad Tanner Tawny Tiara
Trinity Valentine Velvet Viva Windy Stormy Rusty Misty Dusty Piper Pinkie Magnolia Harmony
Glory Mercy Melody Coral Caprice Carmine Chastity Aura Art Abbey Beau Belle Berry Blanch
Clement Eddy Fawn Marlin Newton Sibyl Buster Randy Rocky Rod Florin Jarred Mac Song Christen Margarita Gale Heath Lea Dirk
Nan Ashton Crosby Everton Dallas Denver Orlando Phoenix Tena Christie Burton Milford
"""
)

#: Names left out as everyday words by the census lists' cut or by :data:`NOT_NAMES`'s
#: first version, taken back as names that are words ("thanks to Grace"): removed only
#: inside a sentence.
WORD_NAMES = _words("Grace Faith Hope Joy Will Bill Precious Blessing Comfort Memory Gift Patience")

#: Names that are also everyday words, but which start a sentence as a name nearly always
#: ("John was lovely", not a toilet): removed wherever they are capitalised, as the names
#: that are no word are.
NAMES_ANYWHERE = _words(
    """
John Peter Tom Tony Mike Terry Jimmy Billy Bobby Bob Martin Harry Roger Ken Rick Matt Josh
Sally Carol Barb Beryl Brad Chuck Colleen Derrick Hector Homer Jasper Mickey Myrtle Patsy
Patty Phoebe Rhea Sue Pat Dawn Mark Jack Nick Robin Dean Lee Glen Don Ed Meg Maria Victor
Warren Troy Hank Wade Chad Deb Sonny Ester Sierra Savannah
"""
)

_NAME = re.compile(r"[A-Z][a-z]+")


def census(path: Path, top: int | None = None) -> list[str]:
    """A census list's names in Title Case, commonest first (``top`` of them)."""
    names = [line.split()[0].title() for line in path.read_text().splitlines() if line.strip()]
    return names[:top] if top else names


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--census-female", type=Path, required=True)
    parser.add_argument("--census-male", type=Path, required=True)
    parser.add_argument("--dictionary", type=Path, required=True, help="Debian wbritish's list")
    args = parser.parse_args(argv)
    names = set(census(args.census_female, FEMALE_TOP)) | set(census(args.census_male))
    names |= _words(UK_NAMES) | WORD_NAMES
    names = {n for n in names if _NAME.fullmatch(n) and len(n) > 1 and n not in NOT_NAMES}
    words = args.dictionary.read_text(encoding="latin-1").split()
    everyday = {w for w in words if w.islower()}
    out = sys.stdout
    out.write(
        "# First names the redaction removes without a cue before them; `word` marks a name\n"
        "# that is also an everyday word, removed only where it cannot be the word.\n"
        "# Made by scripts/build_forenames.py (sources and licences in its docstring).\n"
    )
    for name in sorted(names):
        word = name in WORD_NAMES or (name.lower() in everyday and name not in NAMES_ANYWHERE)
        out.write(f"{name} word\n" if word else f"{name}\n")


if __name__ == "__main__":
    main()
