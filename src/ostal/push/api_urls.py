from django.urls import path

from ostal.push import api

urlpatterns = [
    path("subscriptions/", api.SubscriptionsView.as_view(), name="push-subscriptions"),
    path("subscriptions/<id:pk>/", api.SubscriptionView.as_view(), name="push-subscription"),
    path("key/", api.KeyView.as_view(), name="push-key"),
]
