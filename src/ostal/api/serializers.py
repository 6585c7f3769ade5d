from __future__ import annotations

from rest_framework import serializers


class SchoolSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    uai = serializers.CharField()
    name = serializers.CharField()
    kind = serializers.CharField()
    commune = serializers.CharField()


class ClassRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    code = serializers.CharField()
    label = serializers.CharField()


class ChildSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pupil.pk")
    first_name = serializers.CharField(source="pupil.first_name")
    last_name = serializers.CharField(source="pupil.last_name")
    relation = serializers.CharField(source="link.relation_label")
    legal_level = serializers.IntegerField(source="link.legal_level")
    school = SchoolSerializer(allow_null=True)
    school_class = ClassRefSerializer(allow_null=True)


class MeSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    username = serializers.CharField()
    first_name = serializers.CharField()
    last_name = serializers.CharField()
    profile = serializers.CharField()
    national_profile = serializers.CharField()
    schools = SchoolSerializer(many=True)
    children = ChildSerializer(many=True)
    active_school = SchoolSerializer(allow_null=True)
    active_child = serializers.IntegerField(allow_null=True)


class ErrorBodySerializer(serializers.Serializer):
    status = serializers.IntegerField()
    code = serializers.CharField()
    message = serializers.CharField()
    fields = serializers.DictField(required=False)


class ErrorSerializer(serializers.Serializer):
    error = ErrorBodySerializer()
