[ "$(cat mine/thesis.txt)" = precious ] && [ "$(ls mine)" = thesis.txt ]
