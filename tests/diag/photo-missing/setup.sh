# a photo whose file is not under content/images/: the error names the
# file: value, line 17 column 11
sed -i 's/^description: "A European test city with a tram network."$/&\nphotos:\n  - file: tram.jpg\n    alt: {en: A tram, zh: 有轨电车}/' content/cities/alpha.en.md
