"""Fixed lists of French names, streets and school patrons (no network, no Faker).

Surnames are stored as SIECLE sends them (upper case, no accents), given names with their
accents. A few surnames and patrons carry an apostrophe so that every delivery exercises
XML escaping (``D&apos;ALMEIDA``).
"""

from __future__ import annotations

GIRLS = (
    "Emma", "Jade", "Louise", "Alice", "Chloé", "Léa", "Manon", "Inès", "Camille", "Léna", "Lina",
    "Zoé", "Ambre", "Lola", "Sarah", "Juliette", "Anna", "Rose", "Romane", "Mila", "Eva", "Clara",
    "Agathe", "Margaux", "Mathilde", "Océane", "Maëlys", "Noémie", "Elsa", "Julia", "Lucie",
    "Anaïs", "Laura", "Pauline", "Marie", "Charlotte", "Justine", "Clémence", "Héloïse", "Salomé",
    "Apolline", "Jeanne", "Capucine", "Louna", "Nina", "Maëlle", "Yasmine", "Lilou", "Éloïse",
    "Victoire", "Gabrielle", "Lou", "Iris", "Lya", "Nour", "Thaïs", "Garance", "Axelle", "Adèle",
    "Constance", "Emy", "Célia", "Mélina", "Maya", "Louane", "Clarisse", "Amandine", "Aya",
    "Assia", "Wassila", "Leïla", "Estelle", "Flavie", "Oriane", "Naïs", "Albane",
)  # fmt: skip

BOYS = (
    "Gabriel", "Léo", "Raphaël", "Louis", "Lucas", "Arthur", "Jules", "Hugo", "Maël", "Nathan",
    "Noah", "Tom", "Théo", "Sacha", "Ethan", "Paul", "Adam", "Mohamed", "Enzo", "Timéo", "Mathis",
    "Nolan", "Axel", "Baptiste", "Clément", "Antoine", "Maxime", "Valentin", "Quentin", "Bastien",
    "Yanis", "Rayan", "Ilyès", "Noé", "Loïc", "Matéo", "Évan", "Kylian", "Elio", "Martin",
    "Victor", "Aurélien", "Gaspard", "Marius", "Aaron", "Samuel", "Eliott", "Mathéo", "Robin",
    "Simon", "Esteban", "Lenny", "Amir", "Ismaël", "Rafael", "Joseph", "Tristan", "Côme", "Nino",
    "Alexis", "Ilan", "Dylan", "Kenzo", "Mattéo", "Florian", "Hippolyte", "Jérémy", "Thibault",
    "Corentin", "Pablo", "Yohan",
)  # fmt: skip

WOMEN = (
    "Nathalie", "Isabelle", "Sandrine", "Sophie", "Céline", "Stéphanie", "Valérie", "Christelle",
    "Karine", "Émilie", "Virginie", "Laetitia", "Delphine", "Audrey", "Caroline", "Sabrina",
    "Élodie", "Aurélie", "Mélanie", "Séverine", "Hélène", "Fatima", "Samia", "Nadia", "Sylvie",
    "Véronique", "Florence", "Marion", "Julie", "Anne", "Magali", "Coralie", "Agnès", "Cécile",
    "Christine", "Corinne", "Estelle", "Gaëlle", "Ingrid", "Jessica", "Laure", "Lydie", "Marjorie",
    "Myriam", "Nadège", "Patricia", "Peggy", "Rachida", "Sonia", "Vanessa", "Yamina", "Claire",
    "Béatrice", "Émeline", "Fanny", "Géraldine", "Hind", "Khadija", "Maria", "Rosa", "Amélie",
    "Bérengère", "Mireille", "Odile",
)  # fmt: skip

MEN = (
    "Stéphane", "Laurent", "Sébastien", "Christophe", "Nicolas", "Frédéric", "Olivier", "David",
    "Julien", "Jérôme", "Philippe", "Thierry", "Éric", "Pascal", "Cédric", "Franck", "Fabrice",
    "Vincent", "Guillaume", "Mickaël", "Jean-Marc", "Jean-Pierre", "Karim", "Mehdi", "Yannick",
    "Arnaud", "Benoît", "Grégory", "Ludovic", "Xavier", "Hervé", "Didier", "Patrice", "Emmanuel",
    "Romain", "Alexandre", "François", "Bruno", "Gilles", "Damien", "Fabien", "Joël", "Lionel",
    "Mathieu", "Rachid", "Samir", "Serge", "Sylvain", "Thomas", "Yves", "Anthony", "Bertrand",
    "Gérald", "José", "Manuel", "Nordine", "Régis", "Rodolphe", "Marc", "Jean-Luc", "Alain",
    "Denis", "Gaëtan", "Hakim", "Kévin",
)  # fmt: skip

SURNAMES = (
    "MARTIN", "BERNARD", "THOMAS", "PETIT", "ROBERT", "RICHARD", "DURAND", "DUBOIS", "MOREAU",
    "LAURENT", "SIMON", "MICHEL", "LEFEBVRE", "LEROY", "ROUX", "DAVID", "BERTRAND", "MOREL",
    "FOURNIER", "GIRARD", "BONNET", "DUPONT", "LAMBERT", "FONTAINE", "ROUSSEAU", "VINCENT",
    "MULLER", "LEFEVRE", "FAURE", "ANDRE", "MERCIER", "BLANC", "GUERIN", "BOYER", "GARNIER",
    "CHEVALIER", "FRANCOIS", "LEGRAND", "GAUTHIER", "GARCIA", "PERRIN", "ROBIN", "CLEMENT",
    "MORIN", "NICOLAS", "HENRY", "ROUSSEL", "MATHIEU", "GAUTIER", "MASSON", "MARCHAND", "DUVAL",
    "DENIS", "DUMONT", "LEMAIRE", "NOEL", "MEYER", "DUFOUR", "MEUNIER", "BRUN", "BLANCHARD",
    "GIRAUD", "JOLY", "RIVIERE", "LUCAS", "BRUNET", "GAILLARD", "BARBIER", "ARNAUD", "MARTINEZ",
    "GERARD", "ROCHE", "RENARD", "SCHMITT", "ROY", "LEROUX", "COLIN", "VIDAL", "CARON", "PICARD",
    "ROGER", "FABRE", "AUBERT", "LEMOINE", "RENAUD", "DUMAS", "LACROIX", "OLIVIER", "PHILIPPE",
    "BOURGEOIS", "PIERRE", "BENOIT", "REY", "LECLERC", "ROLLAND", "GUILLAUME", "LECOMTE", "LOPEZ",
    "JEAN", "DUPUY", "GUILLOT", "HUBERT", "BERGER", "CARPENTIER", "SANCHEZ", "DUPUIS", "MOULIN",
    "LOUIS", "DESCHAMPS", "HUET", "VASSEUR", "PEREZ", "BOUCHER", "FLEURY", "ROYER", "KLEIN",
    "JACQUET", "ADAM", "PARIS", "POIRIER", "MARTY", "AUBRY", "GUYOT", "CARRE", "CHARLES",
    "RENAULT", "CHARPENTIER", "MENARD", "MAILLARD", "BARON", "BERTIN", "BAILLY", "HERVE",
    "SCHNEIDER", "FERNANDEZ", "COLLET", "LEGER", "BOUVIER", "JULIEN", "PREVOST", "MILLET",
    "PERROT", "DANIEL", "COUSIN", "GERMAIN", "BRETON", "BESSON", "LANGLOIS", "REMY", "PELLETIER",
    "LEVEQUE", "PERRIER", "LEBLANC", "BARRE", "LEBRUN", "MARCHAL", "WEBER", "MALLET", "HAMON",
    "BOULANGER", "JACOB", "MONNIER", "MICHAUD", "RODRIGUEZ", "GUICHARD", "GILLET", "ETIENNE",
    "POULAIN", "TESSIER", "COLLIN", "CHAUVIN", "BOUCHET", "GAY", "HUMBERT", "REYNAUD", "ANTOINE",
    "PERRET", "BARTHELEMY", "CORDIER", "PICHON", "LEJEUNE", "GILBERT", "LAMY", "DELAUNAY",
    "PASQUIER", "CARLIER", "LAPORTE", "BOUSQUET", "CABANES", "PUJOL", "ROQUES", "ROUQUETTE",
    "CALMELS", "PUECH", "COSTES", "DELMAS", "VAISSIERE", "BONNAFOUS", "LACOMBE", "CASTAN",
    "SEGUIER", "CAZALS", "BOUISSOU", "SOULIE", "FRAYSSE", "TEULIER", "MAS", "PAGES", "MAUREL",
    "AZEMA", "ESCANDE", "SABATIER", "CABROL", "BORIES", "ESTEVE", "CARRIERE", "BARTHE",
    "ESPINASSE", "ALIBERT", "ASTRUC", "BALDY", "CAYLA", "COMBES", "CROS", "FABRIES", "GALTIER",
    "JULIA", "LAFON", "MALET", "NEGRE", "RAYNAUD", "SALLES", "TRESSENS", "VIALA", "BENALI",
    "HADDAD", "BOUZID", "MANSOURI", "BELKACEM", "GONZALEZ", "FERREIRA", "PEREIRA", "SANTOS",
    "RUIZ", "GOMEZ", "NAVARRO", "DIALLO", "TRAORE", "NGUYEN", "TRAN", "ROSSI", "FERRARI", "RUSSO",
    "MOLINA", "ORTEGA", "CAMPOS", "SERRANO", "BENSAID", "AMRANI", "CHERIF", "KACI", "D'ALMEIDA",
    "N'DIAYE", "D'AMICO", "DA SILVA", "DA COSTA", "DE SOUSA", "LE GALL", "DE LA FUENTE",
    "MARTIN-LOPEZ", "DELL'AQUILA",
)  # fmt: skip

STREETS = (
    "RUE DES LILAS", "AVENUE JEAN JAURES", "CHEMIN DE LA GARRIGUE", "IMPASSE DES OLIVIERS",
    "BOULEVARD DE L'OBSERVATOIRE", "PLACE DE LA REPUBLIQUE", "RUE DU FOUR", "ALLEE DES PINS",
    "RUE VICTOR HUGO", "CHEMIN DES VIGNES", "AVENUE DE TOULOUSE", "RUE DE LA MAIRIE",
    "ROUTE D'ALBI", "RUE DES ECOLES", "LOTISSEMENT LES CIGALES", "RESIDENCE LE CLOS",
    "RUE PASTEUR", "AVENUE DU MIDI", "RUE DE L'EGLISE", "CHEMIN DU MOULIN", "RUE GAMBETTA",
    "QUAI DE LA DAURADE", "RUE DES TILLEULS", "AVENUE DE LA GARE",
)  # fmt: skip

PATRONS = (
    "JEAN MOULIN", "JULES FERRY", "VICTOR HUGO", "PIERRE MENDES FRANCE", "MARIE CURIE",
    "JEAN JAURES", "LOUISE MICHEL", "OLYMPE DE GOUGES", "JOLIOT CURIE", "CONDORCET", "PAUL VALERY",
    "JEAN MERMOZ", "CLEMENCE ROYER", "GEORGES BRASSENS", "JOACHIM DU BELLAY", "FREDERIC BAZILLE",
    "PIERRE DE FERMAT", "JEANNE D'ARC", "D'ARSONVAL", "SIMONE VEIL", "ALBERT CAMUS",
    "JACQUES PREVERT", "ANTOINE DE SAINT-EXUPERY", "CLAUDE NOUGARO", "JEAN MACE", "JULES VERNE",
    "LES SEPT CHEMINS", "LA GARRIGUE", "DU PIC SAINT-LOUP", "DES CAUSSES", "DU LAURAGAIS",
    "DES PYRENEES", "GASTON FEBUS", "RIQUET", "JEAN-FRANCOIS CHAMPOLLION", "AUGUSTE FABRE",
    "ARISTIDE BERGES", "HENRI IV", "RENE CASSIN", "MARCEL PAGNOL", "FRANCOIS MITTERRAND",
    "GERMAINE TILLION", "LUCIE AUBRAC", "PABLO PICASSO", "ALPHONSE DAUDET", "VOLTAIRE",
    "MONTESQUIEU", "EMILE ZOLA",
)  # fmt: skip
