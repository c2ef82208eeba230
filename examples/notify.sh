#!/usr/bin/env bash
# Receives one alert as JSON on stdin. Replace the body with mail, SMS or a webhook.
alert=$(cat)
echo "$(date -Is) ALERT $alert" >> alerts.log
