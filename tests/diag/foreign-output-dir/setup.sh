mkdir -p mine && echo precious > mine/thesis.txt
