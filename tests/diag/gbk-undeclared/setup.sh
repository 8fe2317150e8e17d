# the Chinese translation saved as GBK without saying so
iconv -f UTF-8 -t GBK content/china/beta.zh.md > x && mv x content/china/beta.zh.md
