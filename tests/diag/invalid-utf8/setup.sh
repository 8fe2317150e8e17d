# a Latin-1 byte (0xE9) in an otherwise UTF-8 file: line 20, column 13
sed -i '20s/Alpha has trams/Alpha has tr\xE9ms/' content/cities/alpha.en.md
